import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { organisationTypeOf } from '../../insights/dimensions';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Choice, FlowEvent } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import type { ScreeningSummary } from '../../screening/outcome';
import type { TriageSummary } from '../../vocabulary/triage';
import { answerOf, ask, answered, isAnswered, toRuntime, type AskMeta, type CarriedInput, type FlowOutput } from '../flowKit';
import { identityHas, identityStates } from '../identityQuestions';
import type { ConsentCarry } from '../sharing/sharingDecision';
import { buildReferralBody, carriedConsentChoice, referralAuditExtras, referralEffects, referralUrgency, type ReferralDraft } from './referralBody';
import { changeableQuestions, fieldQuestions, referralQuestions as Q } from './referralQuestions';
import { changeChoices, checkReferralPack, filedMessage, introMessage, keepChoice, reviewText, summaryNote, usableNarrative } from './referralText';
import { words } from './referralWords';
import { triageIntro, triageReview } from './referralTriage';
import { phoneEffects, phoneFiledMessage, phoneMessageKeys, phoneRecordMessage, type ReferralDelivery } from './referralPhone';
import { draftDiscardEffect, draftIdOf, draftSaveEffect, type DraftEnd } from './referralDraftEffects';
import { resumeOrder, resumeStateOf } from './referralDraft';

export interface ReferralContext {
  screening?: ScreeningSummary;
  /** The triage the referral starts from (issue 17): kind, override facts, urgency; a screening only for exploitation. */
  triage?: TriageSummary;
  consent?: ConsentCarry;
  /** The referral's answers by question id (only `fieldQuestions`); the confirmation and the rest steer. */
  answers: Record<string, AnswerValue>;
  /** Who answered last, from the runtime's stamp: the referrer questions it answers are skipped. */
  by?: AnswerIdentity;
  at?: string;
  ref?: string;
  /** Set by `change`: the next answer returns to the confirmation instead of going on. */
  changing: boolean;
  /** Confirmations shown so far: part of the client reference, like the screening's result count. */
  reviews: number;
  /** The choices of the question being asked when they depend on the answers (`meta.dynamicChoices`). */
  choices: Choice[];
  /** Shown after the pack's text (`meta.textFrom`): the screening narrative to keep, the summary to check. */
  summaryNote?: string;
  review?: string;
  clientReference?: string;
  next?: FlowOutput['next'];
  filed: boolean;
  /**
   * The draft this referral is kept as until it is filed or cancelled (issue 20 item 2): set by its first
   * answer, or carried in when a draft is resumed.
   */
  draftId?: string;
}

function draftOf(context: ReferralContext): ReferralDraft {
  if (!context.screening && !context.triage) throw new DomainError('SG-INTERNAL', 'the referral flow went on without a triage or a screening');
  return { answers: context.answers, by: context.by, screening: context.screening, triage: context.triage, consent: context.consent };
}

const recordAnswer = ['stamp', 'record', 'saveDraft'] as const;

/**
 * The referral's step: asks one pack question and records its answer, then on to `next`, or straight back
 * to the confirmation when the professional is changing that answer.
 */
function step(question: string, next: string, meta?: AskMeta) {
  return ask(
    question,
    [
      { guard: { type: 'answeredWhileChanging', params: { question } }, target: 'review', actions: recordAnswer },
      { guard: answered(question), target: next, actions: recordAnswer },
    ],
    meta,
  );
}

/** The first question's "Not now" choice (pack: `ref-child-first-name`). */
const notNow = 'not-now';

/** The state each changeable question is asked in. */
const stateOf: Record<(typeof changeableQuestions)[number], string> = {
  [Q.firstName]: 'firstName',
  [Q.lastName]: 'lastName',
  [Q.dob]: 'dob',
  [Q.nhs]: 'nhs',
  [Q.upn]: 'upn',
  [Q.postcode]: 'postcode',
  [Q.school]: 'school',
  [Q.summary]: 'summary',
  [Q.consent]: 'consent',
  [Q.orgKind]: 'orgKind',
  [Q.name]: 'name',
  [Q.role]: 'role',
  [Q.org]: 'org',
  [Q.email]: 'email',
};

const nextByChoice: Record<string, FlowOutput['next']> = { advice: 'advice', menu: 'menu' };

/**
 * Filing a referral with the MASH (issue 5), from the screening the conversation carries: the child,
 * the concern (the screening narrative offered back), consent (unless a sharing decision gave it), the
 * referrer (unless the sign-in gave it), then a summary to send, change or cancel. Sending is one step:
 * one message (`safeguarding.referralFiled`, queued), one `outbox.enqueue` effect with the MASH body,
 * one `audit.append`; the I/O layer saves them with the turn. After that, `back` cannot unsend it: the
 * last state is a checkpoint. It starts from the triage (issue 17: a screening only for exploitation) and
 * files with the triage's urgency, never lower than an override fixed.
 */
export function createReferralMachine(pack: ContentPack, { delivery = 'mash' }: { delivery?: ReferralDelivery } = {}) {
  checkReferralPack(pack);
  if (delivery === 'phone') for (const key of phoneMessageKeys) words(pack, key); // fail at start-up, not on a filed referral
  return setup({
    types: {
      context: {} as ReferralContext,
      events: {} as FlowEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      input: {} as CarriedInput | undefined,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      output: {} as FlowOutput,
    },
    guards: {
      answered: isAnswered,
      // Typed in full: a guard with params beside the kit's `answered` is not inferred from its context.
      answeredWhileChanging: ({ context, event }: { context: ReferralContext; event: FlowEvent }, params: { question: string }) =>
        context.changing && answerOf(event)?.questionId === params.question,
      nothingCarried: ({ context }) => context.screening === undefined && context.triage === undefined,
      notNowWhileChanging: ({ context, event }) => context.changing && answerOf(event)?.questionId === Q.firstName && answerOf(event)?.value === notNow,
      consentCarried: ({ context }) => carriedConsentChoice(context.consent) !== undefined,
      orgKindCarried: ({ context }) => context.consent?.orgKind !== undefined,
      resuming: ({ context }) => context.draftId !== undefined,
      resumeAt: ({ context }: { context: ReferralContext }, params: { state: string }) => resumeStateOf(context.answers) === params.state,
      identityHas,
    },
    actions: {
      stamp: assign(({ context, event }) => {
        const answer = answerOf(event);
        return answer ? { at: answer.at ?? context.at, ref: answer.ref ?? context.ref, by: answer.by ?? context.by } : {};
      }),
      record: assign(({ context, event }) => {
        const answer = answerOf(event);
        if (!answer || !fieldQuestions.includes(answer.questionId)) return {};
        // "Use what I wrote" sends the screening narrative itself.
        const keep = answer.questionId === Q.summary && answer.value === 'keep' ? usableNarrative(context.screening?.narrative) : undefined;
        return { answers: { ...context.answers, [answer.questionId]: keep ?? answer.value } };
      }),
      // Each answer that goes into the referral keeps the draft up to date (the I/O layer saves it once the turn is).
      saveDraft: enqueueActions(({ context, event, enqueue }) => {
        const answer = answerOf(event);
        if (!answer || !fieldQuestions.includes(answer.questionId) || !answer.at) return;
        const draftId = context.draftId ?? draftIdOf({ ...context, ref: answer.ref ?? context.ref });
        if (!context.draftId) enqueue.assign({ draftId });
        enqueue.sendParent(toRuntime.effect(draftSaveEffect({ ...context, draftId }, answer.at)));
      }),
      discardDraft: enqueueActions(({ context, enqueue }, params: { reason: DraftEnd }) => {
        // A conversation saved by an earlier version has no id yet: the one its draft would have (discarding none is harmless).
        const draftId = context.draftId ?? (Object.keys(context.answers).length > 0 ? draftIdOf(context) : undefined);
        if (draftId) enqueue.sendParent(toRuntime.effect(draftDiscardEffect(draftId, params.reason, context.at)));
      }),
      sayResumed: sendParent(toRuntime.message({ text: words(pack, 'ref-resumed') })),
      forgetAge: assign(({ context }) => {
        const { [Q.age]: _age, ...answers } = context.answers;
        void _age;
        return { answers };
      }),
      offerSummary: assign(({ context }) => {
        const narrative = usableNarrative(context.screening?.narrative);
        return narrative ? { choices: [keepChoice(pack)], summaryNote: summaryNote(pack, narrative) } : { choices: [], summaryNote: undefined };
      }),
      prepareReview: assign(({ context }) => ({
        review: context.screening ? reviewText(pack, draftOf(context)) : triageReview(pack, draftOf(context), context.triage!),
        reviews: context.reviews + 1,
        changing: false,
        choices: [],
      })),
      offerChanges: assign(({ context }) => ({ choices: changeChoices(pack, draftOf(context)) })),
      startChanging: assign({ changing: true }),
      file: assign(({ context }) => ({
        clientReference: clientReferenceOf('SG', { answers: context.answers, at: context.at, ref: context.ref, counter: context.reviews }),
        filed: true,
      })),
      choose: assign(({ event }) => ({ next: nextByChoice[String(answerOf(event)?.value)] ?? 'menu' })),
      needTriage: assign({ next: 'refer' as const }),
      intro: sendParent(({ context }) => toRuntime.message(context.screening ? introMessage(pack, draftOf(context)) : triageIntro(pack, context.triage!))),
      sayCancelled: sendParent(toRuntime.message({ text: words(pack, 'ref-cancelled') })),
      sayNotNow: sendParent(({ context }) => toRuntime.message({ text: words(pack, referralUrgency(draftOf(context)) === 'immediate' ? 'ref-not-now-immediate' : 'ref-not-now') })),
      reportFiled: enqueueActions(({ context, enqueue }) => {
        if (!context.at || !context.clientReference) throw new DomainError('SG-INTERNAL', 'a referral was filed without the time of the answer that sent it');
        const draft = draftOf(context);
        const body = buildReferralBody(pack, draft, { clientReference: context.clientReference, at: context.at });
        const organisationType = organisationTypeOf(body.referrer.organisation, pack.insights);
        const effects = referralEffects(body, draft.screening?.screeningId, organisationType, referralAuditExtras(pack, draft));
        // REFERRALS=phone: no intake API, so the professional phones it through, reading from the record.
        const messages =
          delivery === 'phone'
            ? [phoneFiledMessage(pack, context.clientReference), phoneRecordMessage(pack, context.clientReference, context.at, context.review ?? '')]
            : [filedMessage(pack, context.clientReference, body.urgency)];
        for (const message of messages) enqueue.sendParent(toRuntime.message(message));
        for (const effect of delivery === 'phone' ? phoneEffects(body, effects) : effects) enqueue.sendParent(toRuntime.effect(effect));
      }),
    },
  }).createMachine({
    id: 'referral',
    version: '1',
    context: ({ input }) => ({
      ...(input?.screening ? { screening: input.screening } : {}),
      ...(input?.triage ? { triage: input.triage } : {}),
      ...(input?.consent ? { consent: input.consent } : {}),
      // A resumed draft brings its own answers and what it was started from.
      ...(input?.draft ? { draftId: input.draft.draftId, screening: input.draft.screening, triage: input.draft.triage, consent: input.draft.consent } : {}),
      answers: input?.draft ? { ...input.draft.answers } : {},
      changing: false,
      reviews: 0,
      choices: [],
      filed: false,
    }),
    initial: 'start',
    states: {
      // The root opens the referral from the triage; with nothing carried it asks for the triage first.
      start: {
        always: [
          { guard: 'nothingCarried', target: 'needsTriage' },
          { guard: 'resuming', target: 'resume', actions: 'sayResumed' },
          { target: 'firstName', actions: 'intro' },
        ],
      },
      // A resumed draft goes on at its first unanswered question (the confirmation when none is left).
      resume: { always: [...resumeOrder.map(({ state }) => ({ guard: { type: 'resumeAt' as const, params: { state } }, target: state })), { target: 'review' }] },
      needsTriage: { type: 'final', entry: 'needTriage' },
      // "Not now" is offered at the first question, before anything of the child is typed: back to the
      // menu with nothing sent (an urgent concern is told to phone now). While changing, it changes nothing.
      firstName: ask(Q.firstName, [
        { guard: 'notNowWhileChanging', target: 'review' },
        { guard: answered(Q.firstName, notNow), target: 'notNow', actions: 'stamp' },
        { guard: { type: 'answeredWhileChanging', params: { question: Q.firstName } }, target: 'review', actions: recordAnswer },
        { guard: answered(Q.firstName), target: 'lastName', actions: recordAnswer },
      ]),
      lastName: step(Q.lastName, 'dob'),
      dob: ask(Q.dob, [
        { guard: answered(Q.dob, 'unknown'), target: 'age', actions: recordAnswer },
        { guard: { type: 'answeredWhileChanging', params: { question: Q.dob } }, target: 'review', actions: ['stamp', 'record', 'forgetAge', 'saveDraft'] },
        { guard: answered(Q.dob), target: 'nhs', actions: ['stamp', 'record', 'forgetAge', 'saveDraft'] },
      ]),
      age: step(Q.age, 'nhs'),
      nhs: step(Q.nhs, 'upn'),
      upn: step(Q.upn, 'postcode'),
      postcode: step(Q.postcode, 'school'),
      school: step(Q.school, 'summary'),
      summary: { ...step(Q.summary, 'consent', { dynamicChoices: true, textFrom: 'summaryNote' }), entry: 'offerSummary' },
      // A sharing decision in this conversation that already says consent was given, or why not, answers it.
      consent: { ...step(Q.consent, 'orgKind'), always: { guard: 'consentCarried', target: 'orgKind' } },
      // Who is referring decides the Art 6 basis recorded (R3.2, R3.8); a sharing decision may have asked it already.
      orgKind: { ...step(Q.orgKind, 'role'), always: { guard: 'orgKindCarried', target: 'role' } },
      // The sign-in (TurnMeta, stamped on every answer) answers these when it knows them.
      ...identityStates(step, 'review'),
      review: {
        ...ask(
          Q.confirm,
          [
            { guard: answered(Q.confirm, 'submit'), target: 'filed', actions: 'stamp' },
            { guard: answered(Q.confirm, 'change'), target: 'pickChange', actions: 'stamp' },
            { guard: answered(Q.confirm, 'cancel'), target: 'cancelled', actions: 'stamp' },
          ],
          { textFrom: 'review' },
        ),
        entry: 'prepareReview',
      },
      pickChange: {
        ...ask(
          Q.change,
          changeableQuestions.map((question) => ({ guard: answered(Q.change, question), target: stateOf[question], actions: ['stamp', 'startChanging'] as const })),
          { dynamicChoices: true },
        ),
        entry: 'offerChanges',
      },
      filed: { entry: ['file', 'reportFiled', { type: 'discardDraft', params: { reason: 'filed' } }], always: 'next' },
      // In the outbox already: `back` stops here rather than replaying a referral that was sent.
      next: { ...ask(Q.next, { guard: answered(Q.next), target: 'done', actions: ['stamp', 'choose'] }), tags: ['checkpoint'] },
      cancelled: { type: 'final', entry: ['sayCancelled', { type: 'discardDraft', params: { reason: 'cancelled' } }] },
      notNow: { type: 'final', entry: 'sayNotNow' },
      done: { type: 'final' },
    },
    output: ({ context }) => ({
      next: context.next ?? 'menu',
      ...(context.filed ? { filed: true, ...(context.clientReference ? { clientReference: context.clientReference } : {}) } : {}),
    }),
  });
}

export type ReferralMachine = ReturnType<typeof createReferralMachine>;
