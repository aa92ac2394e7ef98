import { and, assign, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerValue, FlowEvent } from '../../protocol';
import { answered, answerOf, ask, isAnswered, toRuntime, type FlowOutput } from '../flowKit';
import { auditEffect, buildDecision, consentCarry, sharingQuestions as Q, type Pending, type SharingDecision } from './sharingDecision';
import { checkSharingPack, recordMessage, resultMessage } from './sharingText';

export interface SharingContext {
  /** Answers that led to the decision, by question id (share-next is not one of them). */
  answers: Record<string, AnswerValue>;
  /** Time of the latest answer, stamped by the runtime: the decision's `recordedAt`. */
  at?: string;
  ref?: string;
  pending?: Pending;
  decision?: SharingDecision;
  /** Decisions made by this flow so far; part of the decision id so two decisions never share one. */
  decisions: number;
  next?: FlowOutput['next'];
}

function decisionOf(context: SharingContext): SharingDecision {
  if (!context.decision) throw new DomainError('SG-INTERNAL', 'sharing flow reported before it decided');
  return context.decision;
}

const nextByChoice: Record<string, FlowOutput['next']> = { screen: 'screen', refer: 'refer', advice: 'advice', done: 'menu' };

/** One branch of a question: the answer, where it goes, and (for an outcome) what it settles. */
function when(question: string, value: string | undefined, target: string, pending?: Pending) {
  const record = { type: 'record' as const };
  return { guard: answered(question, value), target, actions: pending ? [record, { type: 'settle' as const, params: pending }] : [record] };
}

const swc = (reason: Pending['reason']): Pending => ({ outcome: 'share-without-consent', reason });

/** Any answer to `question` (a choice the pack offers; the runtime has already checked it). */
const anyAnswer = (question: string, target: string, pending?: Pending) => when(question, undefined, target, pending);

/**
 * "Should I share this?" on the 2024 information sharing advice (guidance rules §2–§5): purpose →
 * immediate danger → identifies anyone → who is sharing → consent → is a child at risk of harm. Where a
 * child is at risk or perceived risk of harm, consent is not needed (whether it was refused or never
 * asked), so the flow shares without it and only then asks whether telling the family could raise the
 * risk, to decide whether to tell them. "Ask for consent" is reached only when there is no risk of harm,
 * and a refusal stands only while there is none. Every path ends in one outcome, reported to the root as
 * one result message and one `audit.append` effect (the I/O layer adds who decided). `share-recipient`
 * is asked before any share* outcome so the record says with whom; an emergency skips it, because 999
 * cannot wait, and says "call 999" before it asks who is sharing (needed for the lawful basis). The flow
 * holds no pack text in its context, only answers, so persisted snapshots stay small and free of words.
 */
export function createSharingMachine(pack: ContentPack) {
  checkSharingPack(pack);
  return setup({
    types: {
      context: {} as SharingContext,
      events: {} as FlowEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      output: {} as FlowOutput,
    },
    guards: {
      answered: isAnswered,
      consentRefused: ({ context }) => context.answers[Q.consent] === 'refused',
    },
    actions: {
      record: assign(({ context, event }) => {
        const answer = answerOf(event);
        return answer ? { answers: { ...context.answers, [answer.questionId]: answer.value }, at: answer.at ?? context.at, ref: answer.ref ?? context.ref } : {};
      }),
      settle: assign((_, params: Pending) => ({ pending: params })),
      // Every way into `decided` settles an outcome first; were one ever missed, advice is the safe default.
      decide: assign(({ context }) => ({
        decision: buildDecision(pack, {
          pending: context.pending ?? { outcome: 'seek-advice' },
          answers: context.answers,
          sequence: context.decisions,
          at: context.at,
          ref: context.ref,
        }),
        decisions: context.decisions + 1,
      })),
      choose: assign(({ event }) => {
        const answer = answerOf(event);
        return { next: answer ? nextByChoice[String(answer.value)] : undefined };
      }),
      intro: sendParent(toRuntime.say('share-intro')),
      callNow: sendParent(toRuntime.say('share-emergency-now')),
      reportResult: sendParent(({ context }) => toRuntime.message(resultMessage(pack, decisionOf(context)))),
      reportAudit: sendParent(({ context }) => toRuntime.effect(auditEffect(decisionOf(context)))),
      showRecord: sendParent(({ context }) => toRuntime.message(recordMessage(pack, decisionOf(context)))),
    },
  }).createMachine({
    id: 'sharing',
    // 2: the 2024 order (risk of harm, organisation kind); a snapshot from 1 restarts politely.
    version: '2',
    context: { answers: {}, decisions: 0 },
    entry: 'intro',
    initial: 'purpose',
    states: {
      purpose: ask(Q.purpose, [
        when(Q.purpose, 'yes', 'danger'),
        when(Q.purpose, 'no', 'decided', { outcome: 'do-not-share' }),
        when(Q.purpose, 'unsure', 'decided', { outcome: 'seek-advice' }),
      ]),
      danger: ask(Q.danger, [when(Q.danger, 'yes', 'emergencyOrg'), when(Q.danger, 'no', 'identifies')]),
      // "Call 999" goes out first; who is sharing is asked after, only so the record can name the basis.
      emergencyOrg: { entry: 'callNow', ...ask(Q.orgKind, [anyAnswer(Q.orgKind, 'decided', { outcome: 'emergency' })]) },
      identifies: ask(Q.identifies, [when(Q.identifies, 'no', 'recipient', { outcome: 'share' }), when(Q.identifies, 'yes', 'orgKind')]),
      orgKind: ask(Q.orgKind, [anyAnswer(Q.orgKind, 'consent')]),
      consent: ask(Q.consent, [when(Q.consent, 'given', 'recipient', { outcome: 'share' }), when(Q.consent, 'refused', 'riskOfHarm'), when(Q.consent, 'not-asked', 'riskOfHarm')]),
      // Asked after a refusal and when consent was never asked: either way a risk of harm means share.
      riskOfHarm: ask(Q.riskOfHarm, [
        { ...when(Q.riskOfHarm, 'yes', 'tellFamily', swc('overridden-refusal')), guard: and([answered(Q.riskOfHarm, 'yes'), 'consentRefused']) },
        when(Q.riskOfHarm, 'yes', 'tellFamily', swc('risk-of-harm')),
        { ...when(Q.riskOfHarm, 'no', 'decided', { outcome: 'do-not-share' }), guard: and([answered(Q.riskOfHarm, 'no'), 'consentRefused']) },
        when(Q.riskOfHarm, 'no', 'risk'),
      ]),
      // The share is settled; this decides only whether to tell the family now (R2.3–R2.5).
      tellFamily: ask(Q.risk, [anyAnswer(Q.risk, 'recipient')]),
      // No risk of harm to a child: consent is the way, unless asking itself raises a risk or cannot be done.
      risk: ask(Q.risk, [when(Q.risk, 'yes', 'recipient', swc('would-increase-risk')), when(Q.risk, 'no', 'crime')]),
      crime: ask(Q.crime, [when(Q.crime, 'yes', 'recipient', swc('prejudice-crime')), when(Q.crime, 'no', 'canConsent')]),
      canConsent: ask(Q.canConsent, [when(Q.canConsent, 'no', 'recipient', swc('cannot-consent')), when(Q.canConsent, 'yes', 'reasonable')]),
      reasonable: ask(Q.reasonable, [when(Q.reasonable, 'no', 'recipient', swc('not-reasonable')), when(Q.reasonable, 'yes', 'decided', { outcome: 'seek-consent' })]),
      recipient: ask(Q.recipient, [anyAnswer(Q.recipient, 'decided')]),
      decided: {
        entry: ['decide', 'reportResult', 'reportAudit'],
        always: 'next',
      },
      next: ask(Q.next, [
        { guard: answered(Q.next, 'record'), actions: 'showRecord' },
        { guard: answered(Q.next), target: 'done', actions: 'choose' },
      ]),
      done: { type: 'final' },
    },
    output: ({ context }) => ({
      next: context.next ?? 'menu',
      ...(context.decision ? { consent: consentCarry(context.decision) } : {}),
    }),
  });
}

export type SharingMachine = ReturnType<typeof createSharingMachine>;
