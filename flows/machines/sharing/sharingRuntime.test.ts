import { loadDefaultPack } from '../../content/loadPack';
import type { OutgoingMessage, QuestionValue, TurnInput } from '../../protocol';
import { conversationRecordSchema, type ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';
import type { SharingDecision } from './sharingDecision';

const pack = loadDefaultPack();
const runtime = createRuntime({ pack });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

/** A conversation whose record goes through JSON and the record schema between turns, as a store would. */
function conversation() {
  let record: ConversationRecord | undefined;
  return {
    turn(input: TurnInput, now = meta.now) {
      const result = runtime.runTurn(record, input, { ...meta, now });
      record = conversationRecordSchema.parse(JSON.parse(JSON.stringify(result.record)));
      return result;
    },
    say(text: string, now?: Date) {
      return this.turn({ kind: 'text', text }, now);
    },
    get record() {
      return record!;
    },
  };
}

const asked = (messages: OutgoingMessage[]) => messages[messages.length - 1].value as unknown as QuestionValue;
const decisionIn = (messages: OutgoingMessage[]) =>
  messages.map((m) => m.value).find((v) => v?.type === 'safeguarding.sharingDecision') as SharingDecision | undefined;

/** Menu → "Should I share this?" → purpose yes, no danger, identifies, consent not asked. */
function upToRisk() {
  const c = conversation();
  c.turn({ kind: 'start' });
  expect(asked(c.say('Should I share this?').messages).id).toBe('share-purpose');
  expect(asked(c.say('Yes').messages).id).toBe('share-immediate-danger');
  expect(asked(c.say('2').messages).id).toBe('share-identifies');
  expect(asked(c.say('yes').messages).id).toBe('share-consent-status');
  expect(asked(c.say('3').messages).id).toBe('share-consent-increases-risk');
  return c;
}

describe('"Should I share this?" through the runtime', () => {
  it('introduces itself and asks the purpose question with its choices', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('Should I share this?');
    expect(messages[0].text).toMatch(/^Should I share this\? A few quick questions/);
    expect(asked(messages)).toMatchObject({ id: 'share-purpose', expects: 'choice', choices: [{ value: 'yes' }, { value: 'no' }, { value: 'unsure' }] });
  });

  it('walks to a recorded decision answering by title and by number, then shows the record and leaves', () => {
    const c = upToRisk();
    expect(asked(c.say('Yes').messages).id).toBe('share-recipient');
    const decided = c.say('The police');
    const decision = decisionIn(decided.messages);
    expect(decision).toMatchObject({
      outcome: 'share-without-consent',
      reason: 'would-increase-risk',
      recipient: 'police',
      answers: { 'share-consent-status': 'not-asked', 'share-consent-increases-risk': 'yes' },
      contentVersion: pack.version,
      recordedAt: meta.now.toISOString(),
    });
    expect(decided.effects).toEqual([{ kind: 'audit.append', id: decision!.decisionId, payload: expect.objectContaining({ recordType: 'sharing-decision', outcome: 'share-without-consent', reason: 'would-increase-risk' }) }]);
    expect(asked(decided.messages).id).toBe('share-next');

    const record = c.say('my record');
    expect(record.messages[0].text).toContain(`Decision ID: ${decision!.decisionId}`);
    expect(record.effects).toEqual([]);
    expect(asked(record.messages).id).toBe('share-next');

    // A referral starts at the triage (issue 17): danger first.
    const left = c.say('2');
    expect(asked(left.messages).id).toBe('screen-immediate-danger');
  });

  it('goes back one question mid-flow without repeating a message or an effect', () => {
    const c = upToRisk();
    const back = c.say('back');
    expect(back.messages[0].text).toMatch(/Going back one step/);
    expect(back.effects).toEqual([]);
    expect(asked(back.messages).id).toBe('share-consent-status');
    expect(asked(c.say('They refused').messages).id).toBe('share-consent-increases-risk');
    expect(asked(c.say('No').messages).id).toBe('share-significant-harm');
    const decided = c.say('Not sure');
    expect(decisionIn(decided.messages)).toMatchObject({ outcome: 'seek-advice', answers: { 'share-consent-status': 'refused' } });
  });

  it('goes back from a decision to the recipient; a new answer is a new decision with a new id', () => {
    const c = upToRisk();
    c.say('Yes');
    const first = decisionIn(c.say('The police').messages)!;
    const back = c.say('back');
    expect(back.effects).toEqual([]);
    expect(asked(back.messages).id).toBe('share-recipient');
    const second = c.say('1', new Date('2026-03-02T10:03:00Z'));
    expect(decisionIn(second.messages)).toMatchObject({ recipient: 'mash', recordedAt: '2026-03-02T10:03:00.000Z' });
    expect(second.effects[0].id).not.toBe(first.decisionId);
  });

  it('takes a card submit with the choice value', () => {
    const c = upToRisk();
    c.say('back');
    const submitted = c.turn({ kind: 'submit', questionId: 'share-consent-status', turnId: c.record.turn, answer: 'given' });
    expect(asked(submitted.messages).id).toBe('share-recipient');
  });

  it('answers a common question mid-flow, then asks the same question again', () => {
    const c = upToRisk();
    const trail = c.record.trail.length;
    const { messages, effects } = c.say('Do I need consent?');
    expect(messages[0].text).toMatch(/^Do I need consent\?\nNot always\./);
    expect(messages[0].text).toMatch(/\(Source: Information sharing: advice for practitioners/);
    expect(asked(messages).id).toBe('share-consent-increases-risk');
    expect(effects).toEqual([]);
    expect(c.record.trail).toHaveLength(trail);
  });

  it('answers a common question at the menu and stays there', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('can I tell the police?');
    expect(messages[0].text).toMatch(/^Can I tell the police\?\nYes/);
    expect(asked(messages).id).toBe('menu');
  });

  it('hands over to the exploitation screening when asked, with nothing more to record', () => {
    const c = upToRisk();
    c.say('Yes');
    c.say('The police');
    const screening = c.say('Screen for exploitation');
    expect(screening.effects).toEqual([]);
    expect(asked(screening.messages).id).toMatch(/^screen-/);
  });

  it('shows the question help, and the advice lines on the way out', () => {
    const c = upToRisk();
    expect(c.say('help').messages[0].text).toMatch(/not required to tell/);
    c.say('Yes');
    c.say('health');
    const out = c.say('Who can I call?');
    expect(out.messages.map((m) => m.text).join('\n')).toMatch(/01452 426565/);
    expect(asked(out.messages).id).toBe('menu');
  });
});
