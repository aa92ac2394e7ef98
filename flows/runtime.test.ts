import { createRuntime } from './runtime';
import { loadDefaultPack } from './content/loadPack';
import type { ConversationRecord } from './record';
import type { OutgoingMessage, TurnInput } from './protocol';

const pack = loadDefaultPack();
const runtime = createRuntime({ pack });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

function conversation() {
  let record: ConversationRecord | undefined;
  return {
    turn(input: TurnInput) {
      const result = runtime.runTurn(record, input, meta);
      record = result.record;
      return result;
    },
    say(text: string) {
      return this.turn({ kind: 'text', text });
    },
    get record() {
      return record;
    },
  };
}

const lastQuestion = (messages: OutgoingMessage[]) => messages[messages.length - 1].value as Record<string, unknown>;

describe('conversation runtime', () => {
  it('welcomes a new professional and asks the menu question with its choices', () => {
    const { messages } = conversation().turn({ kind: 'start' });
    expect(messages[0].text).toMatch(/I help professionals/);
    const question = lastQuestion(messages);
    expect(question).toMatchObject({ type: 'safeguarding.question', id: 'menu', expects: 'choice', turnId: 1 });
    expect(messages[messages.length - 1].suggestedActions?.map((c) => c.title)).toContain('Who can I call?');
  });

  it.each([['Who can I call?'], ['who can i call'], ['4'], ['advice']])('answers the menu by title, number or alias: %s', (text) => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say(text);
    expect(messages[0].text).toMatch(/01452 426565/);
    expect(lastQuestion(messages).id).toBe('menu');
  });

  it('re-asks, never dead-ends, on free text that is not a choice', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('the weather is nice');
    expect(messages[0].text).toMatch(/did not catch that/);
    expect(lastQuestion(messages).id).toBe('menu');
  });

  it('routes free text mentioning consent to the sharing branch', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('Do I need consent to tell the school?');
    expect(messages[0].text).toMatch(/Should I share this/);
  });

  it.each([['999'], ['EMERGENCY'], ['she is in danger right now!']])('interrupts with emergency advice on %s', (text) => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say(text);
    expect(messages[0].text).toMatch(/call 999 now/);
    expect(messages[0].value).toMatchObject({ type: 'safeguarding.handoff', kind: 'emergency' });
    expect(lastQuestion(messages).id).toBe('menu');
  });

  it('answers help with the question help, back at the start, and restart', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    expect(c.say('help').messages[0].text).toMatch(/Pick what you need/);
    expect(c.say('back').messages[0].text).toMatch(/at the start already/);
    expect(c.say('restart').messages[0].text).toMatch(/Starting again/);
  });

  describe('"restart" mid-flow asks first (issue 20)', () => {
    /** A conversation two answers into the information-sharing flow. */
    function midFlow() {
      const c = conversation();
      c.turn({ kind: 'start' });
      c.say('Should I share this?');
      const on = lastQuestion(c.say('no').messages).id;
      return { c, on, trail: c.record!.trail.length };
    }

    it('asks to confirm, and "no" goes back to the question with nothing lost', () => {
      const { c, on, trail } = midFlow();
      expect(on).not.toBe('menu');
      const asked = c.say('restart');
      expect(lastQuestion(asked.messages)).toMatchObject({ id: 'confirm-restart', expects: 'choice' });
      expect(asked.messages.at(-1)?.text).toMatch(/already filed or recorded is not affected/);
      const kept = c.say('no');
      expect(kept.messages[0].text).toMatch(/Carrying on/);
      expect(lastQuestion(kept.messages).id).toBe(on);
      expect(c.record!.trail).toHaveLength(trail);
      expect(c.record!.confirmingRestart).toBeUndefined();
    });

    it.each([['yes'], ['Yes, start again'], ['1'], ['restart']])('"%s" starts again from the menu', (answer) => {
      const { c } = midFlow();
      c.say('start again');
      const { messages } = c.say(answer);
      expect(messages[0].text).toMatch(/Starting again/);
      expect(lastQuestion(messages).id).toBe('menu');
      expect(c.record!.trail).toEqual([]);
    });

    it("takes the card's button as the answer", () => {
      const { c } = midFlow();
      c.say('restart');
      const { messages, submitted } = c.turn({ kind: 'submit', questionId: 'confirm-restart', turnId: c.record!.turn, answer: 'yes' });
      expect(submitted).toMatchObject({ status: 'accepted', answer: 'yes' });
      expect(lastQuestion(messages).id).toBe('menu');
    });

    it('reads anything else as the answer to the question they were on (nothing is cleared)', () => {
      const { c, on, trail } = midFlow();
      c.say('restart');
      const { messages } = c.say('999');
      expect(messages[0].text).toMatch(/call 999 now/);
      expect(lastQuestion(messages).id).toBe(on);
      expect(c.record!.trail).toHaveLength(trail);
    });

    it('asks the same confirmation again when the channel redelivers the turn', () => {
      const { c } = midFlow();
      c.say('restart');
      expect(lastQuestion(c.turn({ kind: 'reask' }).messages).id).toBe('confirm-restart');
    });

    it('at the menu, restarts at once: there is nothing to lose', () => {
      const c = conversation();
      c.turn({ kind: 'start' });
      const { messages } = c.say('restart');
      expect(messages[0].text).toMatch(/Starting again/);
      expect(lastQuestion(messages).id).toBe('menu');
    });
  });

  it('ignores a card answer to a question that has moved on', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    c.say('help');
    const { messages } = c.turn({ kind: 'submit', questionId: 'menu', turnId: 1, answer: 'advice' });
    expect(messages[0].text).toMatch(/moved on/);
    const fresh = c.turn({ kind: 'submit', questionId: 'menu', turnId: c.record!.turn, answer: 'advice' });
    expect(fresh.messages[0].text).toMatch(/01452 426565/);
  });

  it('counts turns and keeps the snapshot tagged with machine id and version', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    c.say('2');
    expect(c.record).toMatchObject({ machineId: 'conversation', machineVersion: runtime.machineVersion, turn: 2, contentVersion: pack.version });
    // The tag names the root and every registered flow, so changing any flow restarts old snapshots politely.
    expect(runtime.machineVersion.split('+')).toEqual(
      expect.arrayContaining(['conversation@4', 'sharing@2', 'screening@2', 'triage@1', 'referral@1', 'intelligence@1', 'coordinator@1']),
    );
  });

  it('restarts politely when the stored snapshot comes from another machine version', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const stale = { ...c.record!, machineVersion: '0' };
    const { messages, record } = runtime.runTurn(stale, { kind: 'text', text: '4' }, meta);
    expect(messages[0].text).toMatch(/updated since we last spoke/);
    expect(lastQuestion(messages).id).toBe('menu');
    expect(record.machineVersion).toBe(runtime.machineVersion);
  });

  it('restarts politely when the stored snapshot is unreadable', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const broken = { ...c.record!, snapshot: { value: 'nowhere', status: 'active' } };
    const { messages } = runtime.runTurn(broken, { kind: 'text', text: 'help' }, meta);
    expect(messages[0].text).toMatch(/updated since we last spoke/);
  });
});
