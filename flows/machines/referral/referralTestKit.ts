import { createActor, createMachine, sendTo, type AnyActorLogic, type AnyMachineSnapshot } from 'xstate';
import { loadDefaultPack } from '../../content/loadPack';
import type { Effect, FlowEmitted, FlowEvent, OutgoingMessage, QuestionForm, TurnInput, TurnMeta, TurnResult } from '../../protocol';
import { conversationRecordSchema, type ConversationRecord } from '../../record';
import { activeQuestionId, createRuntime } from '../../runtime';
import type { ScreeningSummary } from '../../screening/outcome';
import type { TriageSummary } from '../../vocabulary/triage';
import type { CarriedInput, FlowEmitEvent, FlowOutput } from '../flowKit';
import { indicatorQuestionIds } from '../screening/screeningTestKit';
import type { ReferralDelivery } from './referralPhone';

/** Test helpers for the referral and intelligence flows. */
export const pack = loadDefaultPack();
export const at = '2026-03-02T10:00:00.000Z';

/** A finished screening as the root carries it (category 3, same day, with the professional's words). */
export function screeningSummary(overrides: Partial<ScreeningSummary> = {}): ScreeningSummary {
  return {
    screeningId: 'scr-0123456789abcdef-1',
    category: 3,
    pathway: 'mash-referral',
    urgency: 'same-day',
    indicators: ['older-partner', 'vehicles', 'missing'],
    vulnerabilities: ['looked-after'],
    rationale: 'Category 3 (moderate): two significant indicators, older partner and vehicles driven by unknown adults.',
    age: 14,
    lookedAfterElsewhere: false,
    narrative: 'She has an older boyfriend and is picked up from school by men in cars.',
    ...overrides,
  };
}

/** A finished child-protection route as the root carries it (physical abuse by a parent, same day). */
export function triageSummary(overrides: Partial<TriageSummary> = {}): TriageSummary {
  return {
    about: 'child',
    age: 7,
    kind: 'physical-abuse',
    facts: [],
    overrides: { fired: [], steps: [] },
    urgency: 'same-day',
    steps: ['do-not-tell-parent', 'disclosure-response', 'mash-today', 'dsl'],
    ...overrides,
  };
}

export interface FlowRun {
  asked: string[];
  messages: OutgoingMessage[];
  effects: Effect[];
  output?: FlowOutput;
}

/**
 * Runs a flow machine under a minimal parent, as the root runs it: `input` carried in, answers forwarded,
 * `FLOW.EMIT` collected, the output kept. Records which question was waiting before each answer.
 */
export function runFlow(logic: AnyActorLogic, input: CarriedInput | undefined, events: FlowEvent[]): FlowRun {
  const emitted: FlowEmitted[] = [];
  let output: FlowOutput | undefined;
  const parent = createMachine({
    types: {} as { events: FlowEmitEvent | FlowEvent },
    invoke: { id: 'flow', src: logic, input, onDone: { actions: ({ event }) => (output = event.output as FlowOutput) } },
    on: {
      'FLOW.EMIT': { actions: ({ event }) => emitted.push(event.emitted) },
      ANSWER: { actions: sendTo('flow', ({ event }) => event) },
    },
  });
  const actor = createActor(parent).start();
  const asked: string[] = [];
  for (const event of events) {
    const child = actor.getSnapshot().children.flow as { getSnapshot(): AnyMachineSnapshot } | undefined;
    asked.push(child ? (activeQuestionId(child.getSnapshot()) ?? '(none)') : '(done)');
    actor.send(event);
  }
  actor.stop();
  return {
    asked,
    messages: emitted.flatMap((e) => (e.type === 'message' ? [e.message] : e.type === 'say' ? [{ text: pack.messages[e.key].text }] : [])),
    effects: emitted.flatMap((e) => (e.type === 'effect' ? [e.effect] : [])),
    output,
  };
}

const runtimes = { mash: createRuntime({ pack }), phone: createRuntime({ pack, referrals: 'phone' }) };
export const baseMeta: TurnMeta = { channelId: 'webchat', userId: 'u1', userName: 'Test Teacher', conversationKey: 'conv-key-1', now: new Date(at) };

/**
 * One professional's conversation through the runtime; the record goes through JSON and the record
 * schema between turns, as a store would, and each turn is a minute after the last.
 */
export function conversation(meta: Partial<TurnMeta> = {}, { referrals = 'mash', startHourUtc = 10 }: { referrals?: ReferralDelivery; startHourUtc?: number } = {}) {
  const runtime = runtimes[referrals];
  let record: ConversationRecord | undefined;
  let minute = 0;
  const messages: OutgoingMessage[] = [];
  const effects: Effect[] = [];
  const turn = (input: TurnInput): TurnResult<ConversationRecord> => {
    const now = new Date(Date.UTC(2026, 2, 2, startHourUtc, minute++));
    const result = runtime.runTurn(record, input, { ...baseMeta, ...meta, now });
    record = conversationRecordSchema.parse(JSON.parse(JSON.stringify(result.record)));
    messages.push(...result.messages);
    effects.push(...result.effects);
    return result;
  };
  turn({ kind: 'start' });
  const question = () =>
    messages[messages.length - 1].value as { id: string; expects: string; turnId: number; choices?: Array<{ value: string; title: string }>; form?: QuestionForm };
  return {
    turn,
    /** Runs a turn against the stored record without keeping its result, as a store conflict would retry it. */
    retry: (input: TurnInput) => runtime.runTurn(record, input, { ...baseMeta, ...meta, now: new Date(Date.UTC(2026, 2, 2, startHourUtc, minute)) }),
    say: (text: string) => turn({ kind: 'text', text }),
    /** Sends the form of the question on screen ("block.field" → text), as the Teams card or the Web Chat form does. */
    submit: (answer: Record<string, string>) => {
      const { id, turnId } = question();
      return turn({ kind: 'submit', questionId: id, turnId, answer });
    },
    /** Answers in order, each checked to move on (the question after it is another, or the flow ended). */
    answer(...texts: string[]) {
      return texts.map((text) => {
        const before = this.question().id;
        const result = this.say(text);
        const after = this.question().id;
        if (after === before && before !== 'menu') throw new Error(`"${text}" was not accepted at ${before}: ${result.messages[0]?.text}`);
        return result;
      });
    },
    messages,
    effects,
    get record() {
      return record!;
    },
    question,
    lastText: () => messages[messages.length - 1].text,
  };
}

/** A conversation that also counts the messages the professional sends (issue 21 item 7: a form's submit is one). */
export function countedConversation(meta: Partial<TurnMeta> = {}) {
  const c = conversation(meta);
  let sent = 0;
  const { say, submit } = c;
  c.say = (text: string) => ((sent += 1), say(text));
  c.submit = (answer: Record<string, string>) => ((sent += 1), submit(answer));
  return { c, sent: () => sent };
}

/**
 * Answers whatever the conversation asks, by question id, until it asks something not in `answers` (or
 * the menu): robust to a flow skipping what it already knows (the screening given who and how old).
 * Returns the id it stopped at.
 */
export function answerUntil(c: ReturnType<typeof conversation>, answers: Record<string, string>, stopAt?: string): string {
  for (let i = 0; i < 60; i += 1) {
    const id = c.question().id;
    if (id === stopAt || answers[id] === undefined || id === 'menu') return id;
    c.say(answers[id]);
  }
  throw new Error('answerUntil went round in circles');
}

/** A phone line as shown: the `{{call:ID}}` token until the currency branch fills it, or the number once it does. */
export function line(id: string, number: string): RegExp {
  return new RegExp(`\\{\\{call:${id}\\}\\}|${number.replace(/ /g, '\\s?')}`);
}

/** Triage answers for a child of `age` with no override fact (the order every flow starts with). */
export const triageChild = (age: string): Record<string, string> => ({ 'screen-immediate-danger': 'no', 'screen-about': 'child', 'screen-age': age, 'concern-overrides': 'none' });

/** The screening's answers by question id, for a narrative whose proposed signs are confirmed by `confirm`. */
export const screeningAnswers = (narrative: string, confirm = 'none'): Record<string, string> => ({
  'screen-about': 'child',
  'screen-immediate-danger': 'no',
  'screen-narrative': narrative,
  'screen-confirm-detected': confirm,
  'screen-missing': 'no',
  'screen-missing-now': 'no',
  ...Object.fromEntries(indicatorQuestionIds.map((id) => [id, 'none'])),
  'screen-looked-after-elsewhere': 'no',
  'screen-judgement': 'I agree',
});

/** Menu → "Is this exploitation?" → triage → the category 3 screening the referral tests use (two significant indicators). */
export function screenToCategory3(c: ReturnType<typeof conversation>, start = 'Is this exploitation?'): void {
  c.say(start);
  answerUntil(c, {
    ...triageChild('14'),
    'concern-kind': 'exploitation',
    ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
    'screen-age': '14',
  });
}

/** A sign-in that names the referrer (role, organisation and email), so only the phone is asked of who is referring. */
export const signedIn: Partial<TurnMeta> = {
  userName: 'Test Teacher',
  userRole: 'Designated safeguarding lead',
  userOrganisation: 'Test School',
  userEmail: 'test.teacher@example.org',
};

/** The triage and the category 3 screening of an exploitation referral, by question id (from "Make a referral"). */
export const exploitationAnswers: Record<string, string> = {
  ...triageChild('14'),
  'concern-kind': 'Exploitation (sexual or criminal)',
  ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
  'screen-age': '14',
};

/** A physical abuse concern through the child-protection route (six safety questions), by question id (from "Make a referral"). */
export const physicalAbuseAnswers: Record<string, string> = {
  ...triageChild('7'),
  'concern-kind': 'Physical abuse',
  'cp-injury': 'yes',
  'cp-disclosure': 'no',
  'cp-carer': 'yes',
  'cp-immediate-risk': 'no',
  'cp-recent-offence': 'no',
  'concern-social-worker': 'no',
};

/** The referral's questions answered one message each, skipping what may be skipped, up to and including "Send". */
export const typedReferral: Record<string, string> = {
  // The whole name in one answer: the last name is not asked.
  'ref-child-first-name': 'Test Child',
  'ref-child-dob': '14/03/2012',
  // "Skip" at the NHS number and UPN question skips both.
  'ref-child-nhs': 'skip',
  'ref-child-postcode': 'gl1 2tg',
  'ref-child-school': 'skip',
  'ref-concern-summary': 'Use what I wrote',
  'ref-consent-status': 'Not asked: it would harm a police inquiry',
  'share-org-kind': 'A public body',
  'ref-referrer-role': 'Designated safeguarding lead',
  'ref-referrer-org': 'Test School',
  'ref-referrer-email': 'test.teacher@example.org',
  'ref-referrer-phone': '01632 960123',
  'ref-family-aware': 'Yes, they know',
  'ref-child-views': 'skip',
  'ref-confirm': 'Send the referral',
};

/** The child, the concern, consent and the kind of organisation typed one question at a time (the name in two answers, both identifiers skipped). */
export const typedChild: Record<string, string> = {
  'ref-child-first-name': 'Test',
  'ref-child-last-name': 'Child',
  'ref-child-dob': '14/03/2012',
  'ref-child-nhs': 'skip',
  'ref-child-upn': 'skip',
  'ref-child-postcode': 'gl1 2tg',
  'ref-child-school': 'skip',
  'ref-concern-summary': 'Use what I wrote',
  'ref-consent-status': 'Yes, consent given',
  'share-org-kind': 'A public body',
};

/** From "Make a referral" to the referrer's phone: the exploitation screening, then `typedChild`. */
export function toReferrerPhone(meta: Partial<TurnMeta> = signedIn): ReturnType<typeof conversation> {
  const c = conversation(meta);
  c.say('Make a referral');
  const stop = answerUntil(c, { ...exploitationAnswers, ...typedChild });
  if (stop !== 'ref-referrer-phone') throw new Error(`stopped at ${stop}, not at the referrer's phone`);
  return c;
}

/** On to the check page, where the sections are offered: the phone, the family told, the child's views skipped. */
export function toCheckPage(meta: Partial<TurnMeta> = signedIn): ReturnType<typeof conversation> {
  const c = toReferrerPhone(meta);
  c.answer('01632 960123', 'Yes, they know', 'skip');
  if (c.question().id !== 'ref-confirm') throw new Error(`stopped at ${c.question().id}, not at the check`);
  return c;
}
