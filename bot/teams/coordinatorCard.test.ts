import { loadDefaultPack, serviceWordsOf } from '../../flows';
import { cardProblems } from '../../test/support/adaptiveCards';
import type { Handoff } from '../../integrations';
import { escapeMarkdown } from './cardElements';
import { handoffCard } from './coordinatorCard';

const words = serviceWordsOf(loadDefaultPack());
const note = 'Note with [phishing link](https://evil.example/login) and **bold** and <at>everyone</at>';

const handoff: Handoff & { overdue: boolean } = {
  handoffId: 'SGH-0123456789AB',
  kind: 'talk-to-coordinator',
  referrer: { channelId: 'msteams', conversation: {}, name: 'Test [Teacher](https://evil.example)', organisation: 'Test School' },
  summary: `Screening category 3\nNote from the professional: ${note}`,
  urgency: 'same-day',
  createdAt: '2026-03-02T10:00:00.000Z',
  status: 'claimed',
  claimedBy: 'Jo *Smith*',
  messages: [{ at: '2026-03-02T10:05:00.000Z', from: 'referrer', text: 'See [here](https://evil.example)' }],
  overdue: false,
};

/** Every TextBlock's text and FactSet value: what Teams renders as Markdown. */
function markdownTexts(card: ReturnType<typeof handoffCard>): string[] {
  return card.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : e.type === 'FactSet' ? e.facts.map((f) => f.value) : []));
}

describe("the coordinators' Teams card shows typed text as typed (pen test L3)", () => {
  it("puts the professional's note and replies in TextRuns, never in Markdown TextBlocks", () => {
    const card = handoffCard(handoff, words);
    expect(cardProblems(card)).toEqual([]);
    expect(markdownTexts(card).join('\n')).not.toMatch(/\]\(https:|\*\*bold/);
    const runs = card.body.flatMap((e) => (e.type === 'RichTextBlock' ? e.inlines.map((i) => i.text) : []));
    expect(runs).toContain(`Note from the professional: ${note}`);
    expect(runs.some((t) => t.endsWith('Referrer answered at Mon 2 Mar, 10:05: See [here](https://evil.example)'))).toBe(true);
  });

  it('escapes Markdown in names shown as facts', () => {
    const facts = markdownTexts(handoffCard(handoff, words));
    expect(facts).toContain('Test \\[Teacher\\]\\(https://evil\\.example\\), Test School');
    expect(facts).toContain('Claimed (Jo \\*Smith\\*)');
    expect(escapeMarkdown('a_b `c` <d> #1 - 2. !x')).toBe('a\\_b \\`c\\` \\<d\\> \\#1 \\- 2\\. \\!x');
  });
});
