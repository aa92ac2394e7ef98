import { gloucestershireParts } from './gloucestershire';
import { loadDefaultPack, parseContentPack } from './loadPack';
import { decisionWords, emergencyLineKeys, fillWords, serviceWordKeys, serviceWordsOf } from './serviceWords';

const pack = loadDefaultPack();
const words = serviceWordsOf(pack);

/** The shipped parts with one message changed (or removed, when `text` is undefined) in the part that has it. */
function partsWith(key: string, text: string | undefined) {
  return gloucestershireParts.map((part) => {
    const messages = (part.json as { messages?: Record<string, { text: string }> }).messages;
    if (!messages?.[key]) return part;
    const { [key]: _gone, ...others } = messages;
    return { ...part, json: { ...(part.json as object), messages: text === undefined ? others : { ...others, [key]: { text } } } };
  });
}

describe("the service's words are the pack's (issue 19 item 5)", () => {
  it('has every word the channel and server code ask for in the shipped pack', () => {
    expect(serviceWordKeys.filter((key) => !pack.messages[key])).toEqual([]);
  });

  it('refuses to load a pack without one of them, naming it', () => {
    expect(() => parseContentPack(partsWith('turn-failed', undefined))).toThrow(/messages\.turn-failed: message "turn-failed" is required: the service says it/);
    expect(() => parseContentPack(partsWith('card-send', undefined))).toThrow(/message "card-send" is required/);
  });

  it('refuses an apology or a page notice that has lost its 999 line', () => {
    for (const key of emergencyLineKeys) expect(pack.messages[key].text).toMatch(/999/);
    expect(() => parseContentPack(partsWith('turn-failed', 'Sorry, something went wrong.'))).toThrow(
      /service\.json: messages\.turn-failed\.text: message "turn-failed" must keep its 999 line/,
    );
  });

  it('never sends anyone to the help desk alone: a fixed text that names it also names the out-of-hours line and 999 (rule R8.2)', () => {
    // Texts with {{call-now}} are filled with the line open at the moment; these are shown by pages and lists at any hour.
    const fixed = serviceWordKeys.filter((key) => /Help Desk/.test(pack.messages[key].text) && !pack.messages[key].text.includes('{{call-'));
    expect(fixed).toEqual(expect.arrayContaining(['my-referrals-status-parked', 'tab-status-parked', 'tab-load-failed']));
    for (const key of fixed) {
      expect([key, pack.messages[key].text]).toEqual([key, expect.stringMatching(/Emergency Duty Team \(01452 614194\)/)]);
      expect([key, pack.messages[key].text]).toEqual([key, expect.stringMatching(/999/)]);
    }
  });

  it('fills placeholders, leaves an unknown one visible and never reads a value as a placeholder', () => {
    expect(words('card-type-text', { maxLength: 500 })).toBe('Please type your answer (up to 500 characters).');
    expect(fillWords('Handoff {handoffId}: {urgency}', { handoffId: 'SGH-1' })).toBe('Handoff SGH-1: {urgency}');
    expect(words('handoff-exchange-line', { who: 'Referrer answered', at: '10:05', text: 'see {who}' })).toBe('Referrer answered at 10:05: see {who}');
    expect(fillWords('phone {{call-now}} about {reference}', { reference: 'MASH-1' })).toBe('phone {{call-now}} about MASH-1');
  });

  it('says a MASH decision as a label, inside a sentence and on the card, and nothing for an outcome it has no words for', () => {
    expect(decisionWords(words, 'assessment')).toBe('Social work assessment');
    expect(decisionWords(words, 'assessment', 'sentence')).toBe('a social work assessment');
    expect(decisionWords(words, 'assessment', 'card')).toBe('Assessment');
    expect(decisionWords(words, 'something-new')).toBeUndefined();
  });
});
