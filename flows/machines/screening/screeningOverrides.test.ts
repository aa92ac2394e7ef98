import { expect } from '@jest/globals';
import { loadDefaultPack } from '../../content/loadPack';
import type { OutgoingMessage, TurnInput } from '../../protocol';
import type { ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';
import { fillCallTokens } from '../../advice/callTokens';

/**
 * The safety overrides (rules §6.2) and the review's traced cases, each through a whole screening
 * conversation on the real runtime: what the professional would read and what the result carries.
 */
const pack = loadDefaultPack();
const runtime = createRuntime({ pack });
const steps = pack.screening!.steps;

interface Asked {
  id: string;
  choices?: Array<{ value: string; title: string }>;
}

interface Screening {
  age: number;
  narrative?: string;
  /** Indicator ids to confirm wherever they are offered (the narrative's proposals included). */
  facts?: string[];
  /** The answer to `screen-other-harm`, by its title. */
  otherHarm?: string;
  /** Reasons to raise the category with, one per judgement question. */
  raises?: string[];
}

/** One professional's screening from the menu, each question answered from `facts` as a person would. */
function screenThrough(plan: Screening) {
  let record: ConversationRecord | undefined;
  let minute = 0;
  const messages: OutgoingMessage[] = [];
  const turn = (input: TurnInput) => {
    const result = runtime.runTurn(record, input, { channelId: 'test', userId: 'u1', now: new Date(Date.UTC(2026, 2, 2, 10, minute++)) });
    record = result.record;
    messages.push(...result.messages);
  };
  const facts = new Set(plan.facts ?? []);
  const raises = [...(plan.raises ?? [])];
  const asked = () => messages[messages.length - 1].value as unknown as Asked;
  const pick = (choices: Asked['choices']) => {
    const numbers = (choices ?? []).flatMap((c, i) => (facts.has(c.value) ? [String(i + 1)] : []));
    return numbers.length ? numbers.join(', ') : 'none';
  };
  const answers: Record<string, (q: Asked) => string> = {
    // These tests are about the screening's own questions: the triage's override question is passed, so
    // the screening offers (and confirms) every fact itself. The triage's own tests answer it.
    'concern-overrides': () => 'none',
    'screen-about': () => 'A child (under 18)',
    'screen-immediate-danger': () => 'no',
    'screen-age': () => String(plan.age),
    'screen-narrative': () => plan.narrative ?? 'Nothing specific.',
    'screen-other-harm': () => plan.otherHarm ?? 'It is exploitation after all',
    'screen-missing': () => (facts.has('missing') || facts.has('missing-now') ? 'yes' : 'no'),
    'screen-missing-now': () => (facts.has('missing-now') ? 'yes' : 'no'),
    'screen-missing-count': () => '1',
    'screen-looked-after-elsewhere': () => 'no',
    'screen-judgement': () => (raises.length ? 'Raise the category' : 'I agree'),
    'screen-judgement-reason': () => raises.shift()!,
  };
  turn({ kind: 'start' });
  turn({ kind: 'text', text: 'Is this exploitation?' });
  const seen: string[] = [];
  // The triage asks the override facts first (`concern-overrides`), answered from `facts` like any multichoice.
  for (let i = 0; i < 40 && /^(screen|concern)-/.test(asked().id ?? ''); i += 1) {
    const question = asked();
    seen.push(question.id);
    turn({ kind: 'text', text: (answers[question.id] ?? ((q: Asked) => pick(q.choices)))(question) });
  }
  const results = messages.filter((m) => m.value?.type === 'safeguarding.screeningResult');
  return { messages, results, result: results[0], last: results[results.length - 1], seen, next: asked().id, text: messages.map((m) => m.text).join('\n') };
}

/** A step's words as the professional reads them: phone tokens filled for the time of these conversations (a Monday morning). */
const shown = (text: string) => fillCallTokens(pack, text, new Date(Date.UTC(2026, 2, 2, 10, 0)));
const stepWords = (...ids: Array<keyof typeof steps>) => ids.map((id) => shown(steps[id].text));

describe('every safety override, through a whole screening', () => {
  it.each<[string, Screening, 3 | 4, string, string, Array<keyof typeof steps>]>([
    ['sexual activity under 13', { age: 12, facts: ['sexual-activity'] }, 4, 'immediate', 'sexual-activity-under-13', ['police-now', 'mash-now']],
    ['an older partner under 13', { age: 12, facts: ['older-partner'] }, 4, 'immediate', 'older-partner-under-13', ['police-now', 'mash-now']],
    ['an adult asking for images', { age: 16, facts: ['adult-image-request'] }, 4, 'immediate', 'adult-image-request', ['police-now', 'ceop', 'never-view-images']],
    ['nudes under 13', { age: 12, facts: ['sexting'] }, 4, 'immediate', 'nudes-under-13', ['police-now', 'never-view-images']],
    ['nudes under coercion', { age: 15, facts: ['nudes-coercion'] }, 3, 'same-day', 'nudes-coercion', ['never-view-images', 'mash-today']],
    ['nudes showing unusual acts', { age: 15, facts: ['nudes-extreme'] }, 3, 'same-day', 'nudes-extreme', ['never-view-images', 'mash-today']],
    ['nudes with self-harm', { age: 15, facts: ['sexting', 'self-harm'] }, 3, 'same-day', 'nudes-immediate-risk', ['never-view-images', 'mash-today']],
    ['a disclosure', { age: 15, facts: ['disclosure'] }, 4, 'immediate', 'disclosure', ['police-now', 'mash-now', 'disclosure-response']],
    ['an exchange', { age: 15, facts: ['exchange'] }, 4, 'immediate', 'exchange', ['police-101', 'mash-now']],
    ['county lines', { age: 15, facts: ['trafficked'] }, 4, 'immediate', 'trafficked', ['mash-now', 'nrm', 'modern-slavery-helpline']],
    ['crime with weapons', { age: 15, facts: ['offending', 'weapons'] }, 4, 'immediate', 'criminal-exploitation-violence', ['police-now', 'nrm']],
    ['a debt enforced by threats', { age: 16, facts: ['debt-bondage', 'threats-violence'] }, 4, 'immediate', 'debt-with-threats', ['police-now', 'nrm']],
    ['an older partner at 14', { age: 14, facts: ['older-partner'] }, 3, 'same-day', 'older-partner-13-15', ['mash-today', 'police-101']],
    ['missing right now', { age: 14, facts: ['missing-now'] }, 4, 'immediate', 'missing-now', ['call-999', 'missing-police-report', 'return-home-interview']],
  ])('%s: its category, urgency, reason and steps in the result', (_name, plan, category, urgency, id, required) => {
    const { result } = screenThrough(plan);
    expect(result.value).toMatchObject({ category, urgency, overrides: { fired: expect.arrayContaining([expect.objectContaining({ id })]) } });
    const reason = pack.screening!.overrides.find((o) => o.id === id)!.reason;
    expect(result.text).toContain(reason);
    for (const words of stepWords(...required)) expect(result.text).toContain(words);
  });

  it('asks nothing more once a child is missing right now: the result leads with the police', () => {
    const { seen, result } = screenThrough({ age: 14, facts: ['missing-now'] });
    expect(seen).not.toContain('screen-people');
    expect(result.text.indexOf(shown(steps['call-999'].text))).toBeLessThan(result.text.indexOf(shown(steps['mash-now'].text)));
  });
});

describe("the review's traced cases", () => {
  it('a pregnant 12-year-old is category 4, immediate, with the police now (U2)', () => {
    const { result, seen } = screenThrough({ age: 12, narrative: 'She is pregnant; the father is 19.', facts: ['sexual-activity'] });
    expect(seen).toContain('screen-confirm-detected');
    expect(result.value).toMatchObject({ category: 4, urgency: 'immediate' });
    expect(result.text).toContain(shown(steps['police-now'].text));
    expect(result.text).toMatch(/a child under 13 cannot consent/);
  });

  it('an adult asking an 11-year-old for nudes is category 4 with the police, CEOP and never view the images (U2, O5)', () => {
    const { result } = screenThrough({ age: 11, narrative: 'A man online has been asking her for nude photos.', facts: ['adult-image-request', 'online-contact'] });
    expect(result.value).toMatchObject({ category: 4, urgency: 'immediate', overrides: { steps: expect.arrayContaining(['police-now', 'ceop', 'never-view-images']) } });
    expect(result.text).toMatch(/child sexual abuse/);
    expect(result.text).toContain(shown(steps.ceop.text));
  });

  it('a 15-year-old dealing under the threat of a knife is category 4 with an NRM referral (U5, M3)', () => {
    const narrative = 'He is dealing for older lads who threatened him with a knife. He has a second phone and cash.';
    const { result } = screenThrough({ age: 15, narrative, facts: ['drug-running', 'threats-violence', 'weapons', 'gifts-money', 'inappropriate-adults'] });
    expect(result.value).toMatchObject({
      category: 4,
      urgency: 'immediate',
      overrides: { fired: expect.arrayContaining([expect.objectContaining({ id: 'criminal-exploitation-violence' })]) },
    });
    expect(result.text).toContain(shown(steps.nrm.text));
    expect(result.text).toMatch(/victim of criminal exploitation, not an offender/);
  });

  it('proposes the coercion signs of that narrative from its words', () => {
    const narrative = 'He is dealing for older lads who threatened him with a knife. He has a second phone and cash.';
    const { messages } = screenThrough({ age: 15, narrative, facts: [] });
    const confirm = messages.find((m) => (m.value as { id?: string } | undefined)?.id === 'screen-confirm-detected')!;
    const offered = ((confirm.value as unknown as Asked).choices ?? []).map((c) => c.value);
    expect(offered).toEqual(expect.arrayContaining(['drug-running', 'threats-violence', 'weapons', 'gifts-money']));
  });

  it('a 14-year-old with a 23-year-old boyfriend is at least category 3, same day, police considered', () => {
    const { result } = screenThrough({ age: 14, narrative: 'She has a boyfriend who is 23.', facts: ['older-partner'] });
    expect(result.value).toMatchObject({ category: 3, urgency: 'same-day' });
    expect(result.text).toContain(shown(steps['police-101'].text));
  });

  it('a quiet and withdrawn 9-year-old is not lifted to category 2 by a floor (C5)', () => {
    const { result } = screenThrough({ age: 9, narrative: 'He is quiet and withdrawn.', facts: ['behaviour-change'] });
    expect(result.value).toMatchObject({ category: 1, urgency: 'routine', overrides: { fired: [] } });
    expect(result.text).toMatch(/contact the Front Door \(MASH\), where every concern about exploitation goes, at this level too/);
  });

  it('a 7-year-old hit with a belt by her father is handed to the right route, never category 0 (U4)', () => {
    const { results, messages, next } = screenThrough({ age: 7, narrative: 'Her dad hit her with a belt and she has red marks.', otherHarm: 'Go to the right route' });
    expect(results).toEqual([]);
    expect(messages.map((m) => m.text).join('\n')).toMatch(/I heard signs of physical abuse/);
    const handover = messages.find((m) => m.value?.type === 'safeguarding.handoff');
    expect(handover?.value).toEqual({ type: 'safeguarding.handoff', kind: 'route', suggestedKind: 'physical-abuse' });
    expect(next).not.toMatch(/^screen-/);
  });

  it('asks again instead of "category 0, keep them in mind" when the professional carried on and nothing was found', () => {
    const { results, seen, messages } = screenThrough({ age: 7, narrative: 'Her dad hit her with a belt and she has red marks.' });
    expect(seen.filter((id) => id === 'screen-other-harm')).toHaveLength(2);
    expect(messages.map((m) => m.text).join('\n')).toMatch(/No signs of exploitation were confirmed, but what you described suggests physical abuse/);
    // "It is exploitation after all", twice: only then the category 0 result, which still names the other routes.
    expect(results[0].value).toMatchObject({ category: 0 });
    expect(results[0].text).toMatch(/any other harm .* has its own route/);
  });

  it("never offers a young adult the children's MASH referral (U6): the triage takes them to the adult route first", () => {
    const { results, text, seen } = screenThrough({ age: 20, facts: ['older-partner', 'vehicles', 'isolated'] });
    expect(seen).not.toContain('concern-overrides');
    expect(results).toHaveLength(0);
    expect(text).not.toMatch(/file the referral with the MASH/);
    expect(text).toMatch(/Adult Social Care Help Desk on 01452 426868/);
  });
});

describe('no raise or later answer lowers an override', () => {
  it('keeps the override urgency through a raise', () => {
    const { results } = screenThrough({ age: 14, facts: ['older-partner'], raises: ['Seen with him every night'] });
    expect(results.map((r) => [r.value?.category, r.value?.urgency])).toEqual([
      [3, 'same-day'],
      [4, 'immediate'],
    ]);
    expect(results[1].value?.overrides).toEqual(results[0].value?.overrides);
  });
});
