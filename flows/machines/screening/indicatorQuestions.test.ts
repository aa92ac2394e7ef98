import { gloucestershireParts } from '../../content/gloucestershire';
import screeningPart from '../../content/gloucestershire/screening.json';
import { loadDefaultPack, parseContentPack } from '../../content/loadPack';
import type { ContentPack } from '../../content/packSchema';
import type { ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';

type Part = typeof screeningPart;
type Ask = { id: string; offers: string[] };

/** The shipped pack with its screening part edited as a lead would edit the JSON, then loaded (and checked) as usual. */
function packWith(edit: (part: Part) => Part): ContentPack {
  return parseContentPack(gloucestershireParts.map((part) => (part.json === screeningPart ? { ...part, json: edit(structuredClone(screeningPart)) } : part)));
}

/** One more indicator question: what is worrying online, taken out of `screen-money-online` and asked right after it. */
const online = {
  text: 'Any of these about what happens online? Type the numbers or words separated by commas, or none.',
  expects: 'multichoice',
  dynamicChoices: true,
  source: 'cse-strategy',
};
const withOnline = (part: Part, onlineWords: object = online): Part => {
  const asks = part.screening.indicatorQuestions as Ask[];
  const moved = ['online-contact', 'sexting'];
  const at = asks.findIndex((ask) => ask.id === 'screen-money-online') + 1;
  const changed = asks.map((ask) => ({ ...ask, offers: ask.offers.filter((id) => !moved.includes(id)) }));
  changed.splice(at, 0, { id: 'screen-online', offers: moved });
  return { ...part, questions: { ...part.questions, 'screen-online': onlineWords }, screening: { ...part.screening, indicatorQuestions: changed } } as Part;
};

interface Asked {
  id: string;
  offered?: string[];
}

/**
 * "Is this exploitation?" through the runtime for a 14-year-old with nothing in the narrative, answering
 * by question id (`none` to every list not in `answers`), up to the result. What was asked, what each
 * list offered, and the result.
 */
function screen(pack: ContentPack, answers: Record<string, string> = {}) {
  const runtime = createRuntime({ pack });
  const given: Record<string, string> = {
    'screen-immediate-danger': 'no',
    'screen-about': 'A child (under 18)',
    'screen-age': '14',
    'screen-narrative': 'Nothing specific, she just seems quiet.',
    'screen-missing': 'no',
    'screen-looked-after-elsewhere': 'no',
    ...answers,
  };
  let record: ConversationRecord | undefined;
  let minute = 0;
  const asked: Asked[] = [];
  const say = (text: string) => {
    const result = runtime.runTurn(record, text ? { kind: 'text', text } : { kind: 'start' }, {
      channelId: 'test',
      userId: 'u1',
      now: new Date(Date.UTC(2026, 2, 2, 10, minute++)),
    });
    record = result.record;
    return result.messages;
  };
  say('');
  let messages = say('Is this exploitation?');
  for (let turn = 0; turn < 40; turn += 1) {
    const question = messages[messages.length - 1].value as { id: string; choices?: Array<{ value: string }> };
    const result = messages.find((m) => m.value?.type === 'safeguarding.screeningResult');
    if (result) return { asked, result: result.value as { category: number; indicators: Array<{ id: string }> } };
    asked.push({ id: question.id, ...(question.choices && question.id !== 'concern-overrides' ? { offered: question.choices.map((c) => c.value) } : {}) });
    messages = say(given[question.id] ?? 'none');
  }
  throw new Error(`no result; asked ${asked.map((a) => a.id).join(', ')}`);
}

const listed = (asked: Asked[], pack: ContentPack) => asked.filter((a) => pack.screening!.indicatorQuestions.some((q) => q.id === a.id));

describe("the indicator questions are the pack's: its list, in its order", () => {
  const pack = loadDefaultPack();

  it('asks each question of screening.indicatorQuestions in turn, offering what it lists, between the missing questions and "looked after elsewhere"', () => {
    const { asked } = screen(pack);
    const ids = asked.map((a) => a.id);
    expect(listed(asked, pack)).toEqual(pack.screening!.indicatorQuestions.map(({ id, offers }) => ({ id, offered: offers })));
    expect(ids.indexOf(pack.screening!.indicatorQuestions[0].id)).toBe(ids.indexOf('screen-missing') + 1);
    expect(ids[ids.length - 1]).toBe('screen-looked-after-elsewhere');
  });

  it('takes a new question from the pack alone: asked where the list puts it, offering its indicators, which count', () => {
    const { asked, result } = screen(
      packWith((part) => withOnline(part)),
      { 'screen-online': 'Sharing nudes and semi-nudes (between children)' },
    );
    const ids = asked.map((a) => a.id);
    expect(ids.indexOf('screen-online')).toBe(ids.indexOf('screen-money-online') + 1);
    expect(asked.find((a) => a.id === 'screen-online')?.offered).toEqual(['online-contact', 'sexting']);
    expect(asked.find((a) => a.id === 'screen-money-online')?.offered).not.toContain('sexting');
    expect(result.indicators.map((i) => i.id)).toEqual(['sexting']);
    expect(result.category).toBe(1);
  });

  it('refuses at start-up a question the flow cannot offer indicators in, or whose state the screening already has', () => {
    const yesNo = packWith((part) => withOnline(part, { text: 'Anything online?', expects: 'yesno' }));
    expect(() => createRuntime({ pack: yesNo })).toThrow(/SG-CONTENT-INVALID.*"screen-online" must be multichoice with dynamicChoices/);
    // `screen-result` would be asked in state `result`, which computes the result.
    const clash = packWith((part) => {
      const edited = withOnline(part);
      const asks = edited.screening.indicatorQuestions as Ask[];
      return {
        ...edited,
        questions: { ...edited.questions, 'screen-result': online },
        screening: { ...edited.screening, indicatorQuestions: asks.map((a) => (a.id === 'screen-online' ? { ...a, id: 'screen-result' } : a)) },
      } as Part;
    });
    expect(() => createRuntime({ pack: clash })).toThrow(/SG-CONTENT-INVALID.*"screen-result" would be asked in state "result"/);
  });
});
