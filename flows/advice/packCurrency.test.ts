import { createRuntime } from '../runtime';
import { loadDefaultPack } from '../content/loadPack';
import { isReviewDue } from './packCurrency';

const pack = loadDefaultPack();
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-12-04T10:00:00Z') };

describe('"guidance due for review" (reviewedOn older than 12 months)', () => {
  it('is due a day past 12 months, not on the anniversary, and always when no review date is known', () => {
    expect(isReviewDue({ reviewedOn: '2025-12-04' }, meta.now)).toBe(false);
    expect(isReviewDue({ reviewedOn: '2025-12-03' }, meta.now)).toBe(true);
    expect(isReviewDue({}, meta.now)).toBe(true);
  });

  it('is said right after the welcome of every conversation, and the menu is still asked', () => {
    const runtime = createRuntime({ pack: { ...pack, reviewedOn: '2025-06-30' } });
    const { messages } = runtime.runTurn(undefined, { kind: 'start' }, meta);
    expect(messages.map((m) => m.text.slice(0, 40))).toEqual([
      pack.messages.welcome.text.slice(0, 40),
      expect.stringMatching(/^Please note: this guidance/),
      expect.stringMatching(/^What would you like to do\?/),
    ]);
    expect(messages[1].text).toMatch(/last reviewed by the partnership on 2025-06-30, more than 12 months ago, and is due for review/);
  });

  it('is not said while the review is current', () => {
    const runtime = createRuntime({ pack: { ...pack, reviewedOn: '2026-06-30' } });
    const { messages } = runtime.runTurn(undefined, { kind: 'start' }, meta);
    expect(messages.some((m) => /due for review/.test(m.text))).toBe(false);
  });
});
