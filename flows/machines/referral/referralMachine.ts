import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { organisationTypeOf } from '../../insights/dimensions';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Choice, FlowEvent } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import type { ScreeningSummary } from '../../screening/outcome';
import type { TriageSummary } from '../../vocabulary/triage';
import { answerOf, ask, askThen, answered, isAnswered, toRuntime, type AskMeta, type CarriedInput, type FlowOutput } from '../flowKit';
import { identityHas, identityStates } from '../identityQuestions';
import type { ConsentCarry } from '../sharing/sharingDecision';
import {
  assessedUrgency,
  referralCategory,
  buildReferralBody,
  carriedConsentChoice,
  referralAuditExtras,
  referralEffects,
  referralUrgency,
  type ReferralDraft,
} from './referralBody';
import { categoryRaiseChoices, raiseChoices } from './referralRaise';
import type { ReferralDraftCarry } from './referralDraftCarry';
import {
  changeableQuestions,
  consentBeforeKey,
  fieldQuestions,
  householdReferenceKey,
  siblingQuestions,
  isSectionQuestion,
  raiseCategoryChoice,
  raiseChoice,
  referralQuestions as Q,
  sectionQuestions,
  type SectionId,
} from './referralQuestions';
import {
  familyAwareFromConsent,
  familyFromConsentMessage,
  familyRiskNote,
  checkSections,
  isExploitation,
  phoneOffer,
  quotedWords,
  sectionChoices,
  sectionsPicked,
  unreadableEntry,
  unreadMessage,
} from './referralMarfSteps';
import { changeChoices, checkReferralPack, filedMessage, introMessage, keepChoice, reviewText, summaryNote, usableNarrative } from './referralText';
import { words } from './referralWords';
import { triageIntro, triageReview } from './referralTriage';
import { phoneEffects, phoneFiledMessage, phoneMessageKeys, phoneRecordMessage, type ReferralDelivery } from './referralPhone';
import { draftDiscardEffect, draftIdOf, draftSaveEffect, type DraftEnd } from './referralDraftEffects';
import { resumeOrder, resumeStateOf, stillToAsk } from './referralDraft';
import { entriesOf } from './referralSections';
import { namePartsOf } from './referralName';
import { answersWith, answersWithForm } from './referralAnswers';
import { detailsAnswersOf, detailsPrefill } from './detailsForm';
import { draftMarf } from './referralMarf';

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
  /** The summary alone, for the phoned-through record (`review` adds the optional sections offered at the check). */
  summary?: string;
  clientReference?: string;
  next?: FlowOutput['next'];
  filed: boolean;
  /**
   * The draft this referral is kept as until it is filed or cancelled (issue 20 item 2): set by its first
   * answer, or carried in when a draft is resumed.
   */
  draftId?: string;
  /** The optional sections picked at `ref-sections` still to ask, first one next (issue 21). */
  sectionsLeft?: SectionId[];
  /** Shown with the family and phone questions and the sections list (`meta.textFrom`). */
  familyNote?: string;
  phoneNote?: string;
  sectionsNote?: string;
  /** A brother's or sister's referral (issue 21 item 5): the client reference of the one filed before it. */
  siblingOf?: string;
  /** What the child-and-concern form shows filled in (`meta.valuesFrom`), keyed "block.field". */
  detailsValues?: Record<string, string>;
  /** Chosen after filing: the sibling's referral the root opens next. */
  sibling?: ReferralDraftCarry;
}

function draftOf(pack: ContentPack, context: ReferralContext): ReferralDraft {
  if (!context.screening && !context.triage) throw new DomainError('SG-INTERNAL', 'the referral flow went on without a triage or a screening');
  const marf = draftMarf(pack, context.answers);
  return { answers: context.answers, by: context.by, screening: context.screening, triage: context.triage, consent: context.consent, ...(marf ? { marf } : {}) };
}

const recordAnswer = ['stamp', 'record', 'saveDraft'] as const;

const isDetailsForm = (event: FlowEvent) => answerOf(event)?.questionId === Q.firstName && detailsAnswersOf(answerOf(event)?.value) !== undefined;

/**
 * The referral's step: asks one pack question and records its answer, then on to `next`, or straight back
 * to the confirmation when the professional is changing that answer.
 */
function step(question: string, next: string, meta?: AskMeta) {
  return {
    ...ask(
      question,
      [
        { guard: { type: 'answeredWhileChanging', params: { question } }, target: 'review', actions: recordAnswer },
        { guard: answered(question), target: next, actions: recordAnswer },
      ],
      meta,
    ),
    // A brother's or sister's referral passes over what it carried in (issue 21 item 5).
    always: [carriedOn(question, next)],
  };
}

/** Passes over `question` when a sibling's referral carried its answer in. */
const carriedOn = (question: string, next: string) => ({ guard: { type: 'carried' as const, params: { question } }, target: next });

/** Passes over `question` when it is already answered (by the child-and-concern form, or carried in) and not being changed. */
const passedOver = (question: string, next: string) => ({ guard: { type: 'given' as const, params: { question } }, target: next });

/** A step of the child and the concern: passed over once the form (or a sibling's referral) answered it. */
const detailStep = (question: string, next: string, meta?: AskMeta) => ({ ...step(question, next, meta), always: [passedOver(question, next)] });

const detailsAnswer = ['stamp', 'recordDetails', 'saveDraft'] as const;

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
  [Q.familyAware]: 'familyAware',
  [Q.notToldReason]: 'notToldReason',
  [Q.confidential]: 'confidential',
  [Q.childViews]: 'childViews',
  [Q.childsWords]: 'childsWords',
  [Q.phone]: 'phone',
  [Q.household]: 'household',
  [Q.personsOfConcern]: 'personsOfConcern',
  [Q.agencies]: 'agencies',
  [Q.childMore]: 'childMore',
};

/** A section's state: one entry per answer, kept, until "that's all" goes to the next section (or back to the check). */
function sectionState(question: string) {
  return ask(question, [
    // A form (issue 21 item 2) answers the whole section in one submit: its entries are kept, then on as after "that's all".
    { guard: { type: 'formWhileChanging', params: { question } }, target: 'review', actions: recordAnswer },
    { guard: { type: 'formAnswered', params: { question } }, target: 'nextSection', actions: [...recordAnswer, 'shiftSection'] },
    { guard: { type: 'doneWhileChanging', params: { question } }, target: 'review', actions: 'stamp' },
    { guard: answered(question, 'done'), target: 'nextSection', actions: ['stamp', 'shiftSection'] },
    { guard: 'unreadable', actions: ['stamp', 'sayUnread'] },
    { guard: answered(question), actions: [...recordAnswer, 'sayAdded'] },
  ]);
}

const sectionStateOf: Record<SectionId, string> = { household: 'household', 'persons-of-concern': 'personsOfConcern', agencies: 'agencies', 'child-more': 'childMore' };

/** The "refer a brother or sister" choice of `ref-next`. */
const siblingChoice = 'sibling';

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
      isSibling: ({ context }) => context.siblingOf !== undefined,
      // Passed over when the NHS question's answer gave it or skipped both; never while it is being changed.
      upnGiven: ({ context }) => !context.changing && context.answers[Q.upn] !== undefined,
      detailsForm: ({ event }) => isDetailsForm(event),
      detailsFormWhileChanging: ({ context, event }) => context.changing && isDetailsForm(event),
      // Passed over when a form already answered it (never while it is being changed).
      given: ({ context }: { context: ReferralContext }, params: { question: string }) => !context.changing && !stillToAsk(context.answers, params.question),
      wholeName: ({ event }) => answerOf(event)?.questionId === Q.firstName && namePartsOf(answerOf(event)?.value) !== undefined,
      carried: ({ context }: { context: ReferralContext }, params: { question: string }) =>
        context.siblingOf !== undefined && !context.changing && context.answers[params.question] !== undefined,
      resumeAt: ({ context }: { context: ReferralContext }, params: { state: string }) => resumeStateOf(context.answers) === params.state,
      identityHas,
      consentCorrected: ({ context, event }) => {
        const answer = answerOf(event);
        const before = context.answers[Q.consent];
        return context.changing && answer?.questionId === Q.consent && before !== undefined && answer.value !== before;
      },
      familyFromConsent: ({ context }) => !context.changing && context.answers[Q.familyAware] === undefined && familyAwareFromConsent(draftOf(pack, context)) !== undefined,
      childsWordsGiven: ({ context }) => !context.changing && (context.answers[Q.childViews] === 'skip' || quotedWords(context.answers[Q.childViews]) !== undefined),
      keepWithoutProfile: ({ context, event }) => answerOf(event)?.questionId === Q.phone && answerOf(event)?.value === 'keep' && !context.by?.phone,
      nextSectionIs: ({ context }: { context: ReferralContext }, params: { section: SectionId }) => context.sectionsLeft?.[0] === params.section,
      doneWhileChanging: ({ context, event }: { context: ReferralContext; event: FlowEvent }, params: { question: string }) =>
        context.changing && answerOf(event)?.questionId === params.question && answerOf(event)?.value === 'done',
      formAnswered: ({ event }: { event: FlowEvent }, params: { question: string }) => answerOf(event)?.questionId === params.question && Array.isArray(answerOf(event)?.value),
      formWhileChanging: ({ context, event }: { context: ReferralContext; event: FlowEvent }, params: { question: string }) =>
        context.changing && answerOf(event)?.questionId === params.question && Array.isArray(answerOf(event)?.value),
      unreadable: ({ event }) => {
        const answer = answerOf(event);
        return answer !== undefined && unreadableEntry(answer.questionId, answer.value);
      },
    },
    actions: {
      stamp: assign(({ context, event }) => {
        const answer = answerOf(event);
        return answer ? { at: answer.at ?? context.at, ref: answer.ref ?? context.ref, by: answer.by ?? context.by } : {};
      }),
      record: assign(({ context, event }) => {
        const answer = answerOf(event);
        if (!answer || !fieldQuestions.includes(answer.questionId)) return {};
        return { answers: answersWith(context, answer.questionId, answer.value) };
      }),
      // The child and the concern in one form (issue 21 item 7): each answer kept as if typed.
      recordDetails: assign(({ context, event }) => ({ answers: answersWithForm(context, answerOf(event)!.value) })),
      offerDetails: assign(({ context }) => ({ detailsValues: detailsPrefill(context.answers, usableNarrative(context.screening?.narrative)) })),
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
      familyFromConsent: enqueueActions(({ context, enqueue }) => {
        const draft = draftOf(pack, context);
        enqueue.assign({ answers: { ...context.answers, [Q.familyAware]: familyAwareFromConsent(draft)! } });
        enqueue.sendParent(toRuntime.message({ text: familyFromConsentMessage(pack, draft) }));
      }),
      noteFamily: assign(({ context }) => ({ familyNote: familyRiskNote(pack, draftOf(pack, context)) })),
      takeQuotedWords: assign(({ context }) => {
        const quoted = quotedWords(context.answers[Q.childViews]);
        return quoted ? { answers: { ...context.answers, [Q.childsWords]: quoted } } : {};
      }),
      offerPhone: assign(({ context }) => phoneOffer(pack, context.by)),
      offerSections: assign(({ context }) => ({
        choices: sectionChoices(pack, draftOf(pack, context)),
        sectionsNote: isExploitation(draftOf(pack, context)) ? words(pack, 'ref-sections-offered') : undefined,
      })),
      planSections: assign(({ context, event }) => ({ sectionsLeft: sectionsPicked(answerOf(event)?.value, draftOf(pack, context)) })),
      shiftSection: assign(({ context }) => ({ sectionsLeft: (context.sectionsLeft ?? []).slice(1) })),
      // Changing a section from the check starts it again, so what is sent is what was last typed.
      clearSection: assign(({ context, event }) => {
        const question = String(answerOf(event)?.value);
        if (!isSectionQuestion(question)) return {};
        const { [question]: _cleared, ...answers } = context.answers;
        void _cleared;
        return { answers };
      }),
      sayAdded: sendParent(toRuntime.message({ text: words(pack, 'ref-section-added') })),
      sayUnread: sendParent(toRuntime.message({ text: unreadMessage(pack) })),
      // The first answer is what the audit compares with, however often it is corrected.
      rememberConsent: assign(({ context }) =>
        context.answers[consentBeforeKey] !== undefined ? {} : { answers: { ...context.answers, [consentBeforeKey]: context.answers[Q.consent] } },
      ),
      offerRaises: assign(({ context }) => ({ choices: raiseChoices(pack, assessedUrgency(draftOf(pack, context))) })),
      offerCategoryRaises: assign(({ context }) => ({ choices: categoryRaiseChoices(pack, referralCategory(draftOf(pack, context)) ?? 4) })),
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
      prepareReview: assign(({ context }) => {
        const draft = draftOf(pack, context);
        const summary = context.screening ? reviewText(pack, draft) : triageReview(pack, draft, context.triage!);
        const offer = checkSections(pack, draft);
        return { review: [summary, offer.note].filter(Boolean).join('\n\n'), summary, reviews: context.reviews + 1, changing: false, choices: offer.choices };
      }),
      offerChanges: assign(({ context }) => ({ choices: changeChoices(pack, draftOf(pack, context)) })),
      startChanging: assign({ changing: true }),
      file: assign(({ context }) => {
        const clientReference = clientReferenceOf('SG', { answers: context.answers, at: context.at, ref: context.ref, counter: context.reviews });
        // A household named here links this referral to any brother or sister referred after it (issue 21 item 5).
        const linked = entriesOf(context.answers[Q.household]).length > 0 && context.answers[householdReferenceKey] === undefined;
        return { clientReference, filed: true, ...(linked ? { answers: { ...context.answers, [householdReferenceKey]: `HH-${clientReference}` } } : {}) };
      }),
      referSibling: assign(({ context }) => ({
        sibling: {
          draftId: '',
          siblingOf: context.clientReference!,
          answers: Object.fromEntries(Object.entries(context.answers).filter(([key]) => siblingQuestions.includes(key))),
          ...(context.screening ? { screening: context.screening } : {}),
          ...(context.triage ? { triage: context.triage } : {}),
          ...(context.consent ? { consent: context.consent } : {}),
        },
      })),
      saySibling: sendParent(toRuntime.message({ text: words(pack, 'ref-sibling-start') })),
      choose: assign(({ event }) => ({ next: nextByChoice[String(answerOf(event)?.value)] ?? 'menu' })),
      needTriage: assign({ next: 'refer' as const }),
      intro: sendParent(({ context }) => toRuntime.message(context.screening ? introMessage(pack, draftOf(pack, context)) : triageIntro(pack, context.triage!))),
      sayCancelled: sendParent(toRuntime.message({ text: words(pack, 'ref-cancelled') })),
      sayNotNow: sendParent(({ context }) =>
        toRuntime.message({ text: words(pack, referralUrgency(draftOf(pack, context)) === 'immediate' ? 'ref-not-now-immediate' : 'ref-not-now') }),
      ),
      reportFiled: enqueueActions(({ context, enqueue }) => {
        if (!context.at || !context.clientReference) throw new DomainError('SG-INTERNAL', 'a referral was filed without the time of the answer that sent it');
        const draft = draftOf(pack, context);
        const body = buildReferralBody(pack, draft, { clientReference: context.clientReference, at: context.at });
        const organisationType = organisationTypeOf(body.referrer.organisation, pack.insights);
        const effects = referralEffects(body, draft.screening?.screeningId, organisationType, referralAuditExtras(pack, draft));
        // REFERRALS=phone: no intake API, so the professional phones it through, reading from the record.
        const messages =
          delivery === 'phone'
            ? [phoneFiledMessage(pack, context.clientReference), phoneRecordMessage(pack, context.clientReference, context.at, context.summary ?? context.review ?? '')]
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
      // A resumed draft brings its own answers and what it was started from; a sibling's is a new draft.
      ...(input?.draft
        ? {
            ...(input.draft.siblingOf ? { siblingOf: input.draft.siblingOf } : { draftId: input.draft.draftId }),
            screening: input.draft.screening,
            triage: input.draft.triage,
            consent: input.draft.consent,
          }
        : {}),
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
          { guard: 'isSibling', target: 'resume', actions: 'saySibling' },
          { guard: 'resuming', target: 'resume', actions: 'sayResumed' },
          { target: 'firstName', actions: 'intro' },
        ],
      },
      // A resumed draft goes on at its first unanswered question (the confirmation when none is left).
      resume: { always: [...resumeOrder.map(({ state }) => ({ guard: { type: 'resumeAt' as const, params: { state } }, target: state })), { target: 'review' }] },
      needsTriage: { type: 'final', entry: 'needTriage' },
      // "Not now" is offered at the first question, before anything of the child is typed: back to the
      // menu with nothing sent (an urgent concern is told to phone now). While changing, it changes nothing.
      firstName: {
        ...ask(
          Q.firstName,
          [
            { guard: 'notNowWhileChanging', target: 'review' },
            { guard: answered(Q.firstName, notNow), target: 'notNow', actions: 'stamp' },
            // The child and the concern as one form (issue 21 item 7): on to the first question it left unanswered.
            { guard: 'detailsFormWhileChanging', target: 'review', actions: detailsAnswer },
            { guard: 'detailsForm', target: 'lastName', actions: detailsAnswer },
            { guard: { type: 'answeredWhileChanging', params: { question: Q.firstName } }, target: 'review', actions: recordAnswer },
            // First and last name in one answer: the last name is not asked (issue 21 item 7).
            { guard: 'wholeName', target: 'dob', actions: recordAnswer },
            { guard: answered(Q.firstName), target: 'lastName', actions: recordAnswer },
          ],
          { valuesFrom: 'detailsValues' },
        ),
        entry: 'offerDetails',
      },
      // Each question the form may answer is passed over once it has.
      lastName: detailStep(Q.lastName, 'dob'),
      dob: {
        ...ask(Q.dob, [
          { guard: answered(Q.dob, 'unknown'), target: 'age', actions: recordAnswer },
          { guard: { type: 'answeredWhileChanging', params: { question: Q.dob } }, target: 'review', actions: ['stamp', 'record', 'forgetAge', 'saveDraft'] },
          { guard: answered(Q.dob), target: 'nhs', actions: ['stamp', 'record', 'forgetAge', 'saveDraft'] },
        ]),
        always: [passedOver(Q.dob, 'age')],
      },
      age: detailStep(Q.age, 'nhs'),
      // One answer may give both identifiers; the UPN is asked only when it is still unanswered.
      nhs: detailStep(Q.nhs, 'upn'),
      upn: { ...step(Q.upn, 'postcode'), always: [{ guard: 'upnGiven', target: 'postcode' }, carriedOn(Q.upn, 'postcode')] },
      postcode: detailStep(Q.postcode, 'school'),
      school: detailStep(Q.school, 'summary'),
      summary: { ...detailStep(Q.summary, 'consent', { dynamicChoices: true, textFrom: 'summaryNote' }), entry: 'offerSummary' },
      // A sharing decision in this conversation that already says consent was given, or why not, answers it.
      consent: {
        ...ask(Q.consent, [
          // Corrected from the check page: asked why (issue 21 item 3), then back to the check.
          { guard: 'consentCorrected', target: 'consentReason', actions: ['rememberConsent', ...recordAnswer] },
          { guard: { type: 'answeredWhileChanging', params: { question: Q.consent } }, target: 'review', actions: recordAnswer },
          { guard: answered(Q.consent), target: 'orgKind', actions: recordAnswer },
        ]),
        always: { guard: 'consentCarried', target: 'orgKind' },
      },
      consentReason: askThen(Q.consentReason, 'review', recordAnswer),
      // After the referrer's phone (issue 21), so a referral saved part way before these questions existed
      // goes on into them. Whether the family knows, and why not (R2.4): a consent answer that already says
      // why is not asked again.
      familyAware: {
        ...ask(
          Q.familyAware,
          [
            { guard: answered(Q.familyAware, 'no-other'), target: 'notToldReason', actions: recordAnswer },
            { guard: answered(Q.familyAware, 'yes-confidential'), target: 'confidential', actions: recordAnswer },
            { guard: { type: 'answeredWhileChanging', params: { question: Q.familyAware } }, target: 'review', actions: recordAnswer },
            { guard: answered(Q.familyAware), target: 'childViews', actions: recordAnswer },
          ],
          { textFrom: 'familyNote' },
        ),
        entry: 'noteFamily',
        always: [carriedOn(Q.familyAware, 'childViews'), { guard: 'familyFromConsent', target: 'childViews', actions: 'familyFromConsent' }],
      },
      notToldReason: step(Q.notToldReason, 'childViews'),
      confidential: step(Q.confidential, 'childViews'),
      childViews: step(Q.childViews, 'childsWords'),
      // Words quoted in the child's views are their own words: not asked for twice.
      // Then straight to the check, where the optional sections are offered beside "Send" (issue 21 item 7):
      // skipping them costs no answer. `sections` stays for conversations saved while asking it.
      childsWords: { ...step(Q.childsWords, 'review'), always: [{ guard: 'childsWordsGiven', target: 'review', actions: 'takeQuotedWords' }] },
      // Who is referring decides the Art 6 basis recorded (R3.2, R3.8); a sharing decision may have asked it already.
      orgKind: { ...step(Q.orgKind, 'role'), always: [{ guard: 'orgKindCarried', target: 'role' }, carriedOn(Q.orgKind, 'role')] },
      // The sign-in (TurnMeta, stamped on every answer) answers these when it knows them.
      ...identityStates(step, 'phone'),
      phone: {
        ...ask(
          Q.phone,
          [
            { guard: 'keepWithoutProfile', target: 'phone' },
            { guard: { type: 'answeredWhileChanging', params: { question: Q.phone } }, target: 'review', actions: recordAnswer },
            { guard: answered(Q.phone), target: 'familyAware', actions: recordAnswer },
          ],
          { dynamicChoices: true, textFrom: 'phoneNote' },
        ),
        always: [carriedOn(Q.phone, 'familyAware')],
        entry: 'offerPhone',
      },
      // The optional sections, skippable in one answer.
      sections: {
        ...ask(Q.sections, { guard: answered(Q.sections), target: 'nextSection', actions: [...recordAnswer, 'planSections'] }, { dynamicChoices: true, textFrom: 'sectionsNote' }),
        always: [carriedOn(Q.sections, 'nextSection')],
        entry: 'offerSections',
      },
      nextSection: {
        always: [
          ...(Object.keys(sectionQuestions) as SectionId[]).map((section) => ({
            guard: { type: 'nextSectionIs' as const, params: { section } },
            target: sectionStateOf[section],
          })),
          { target: 'review' },
        ],
      },
      household: sectionState(Q.household),
      personsOfConcern: sectionState(Q.personsOfConcern),
      agencies: sectionState(Q.agencies),
      childMore: sectionState(Q.childMore),
      review: {
        ...ask(
          Q.confirm,
          [
            { guard: answered(Q.confirm, 'submit'), target: 'filed', actions: 'stamp' },
            { guard: answered(Q.confirm, 'change'), target: 'pickChange', actions: 'stamp' },
            { guard: answered(Q.confirm, 'cancel'), target: 'cancelled', actions: 'stamp' },
            // A section picked at the check is asked, then back to the check.
            { guard: answered(Q.confirm), target: 'nextSection', actions: ['stamp', 'planSections'] },
          ],
          { dynamicChoices: true, textFrom: 'review' },
        ),
        entry: 'prepareReview',
      },
      pickChange: {
        ...ask(
          Q.change,
          [
            ...changeableQuestions.map((question) => ({
              guard: answered(Q.change, question),
              target: stateOf[question],
              actions: ['stamp', 'startChanging', 'clearSection'] as const,
            })),
            { guard: answered(Q.change, raiseChoice), target: 'raiseUrgency', actions: ['stamp', 'startChanging'] as const },
            { guard: answered(Q.change, raiseCategoryChoice), target: 'raiseCategory', actions: ['stamp', 'startChanging'] as const },
          ],
          { dynamicChoices: true },
        ),
        entry: 'offerChanges',
      },
      // Up only, from the choices offered, then why: both back to the check (issue 21 item 3).
      raiseUrgency: {
        ...ask(Q.raiseUrgency, { guard: answered(Q.raiseUrgency), target: 'raiseReason', actions: recordAnswer }, { dynamicChoices: true }),
        entry: 'offerRaises',
      },
      raiseReason: askThen(Q.raiseReason, 'review', recordAnswer),
      // The screening category, up only and with a reason, the same way (guidance rules §6.1).
      raiseCategory: {
        ...ask(Q.raiseCategory, { guard: answered(Q.raiseCategory), target: 'raiseCategoryReason', actions: recordAnswer }, { dynamicChoices: true }),
        entry: 'offerCategoryRaises',
      },
      raiseCategoryReason: askThen(Q.raiseCategoryReason, 'review', recordAnswer),
      filed: { entry: ['file', 'reportFiled', { type: 'discardDraft', params: { reason: 'filed' } }], always: 'next' },
      // In the outbox already: `back` stops here rather than replaying a referral that was sent.
      next: {
        ...ask(Q.next, [
          { guard: answered(Q.next, siblingChoice), target: 'done', actions: ['stamp', 'referSibling'] },
          { guard: answered(Q.next), target: 'done', actions: ['stamp', 'choose'] },
        ]),
        tags: ['checkpoint'],
      },
      cancelled: { type: 'final', entry: ['sayCancelled', { type: 'discardDraft', params: { reason: 'cancelled' } }] },
      notNow: { type: 'final', entry: 'sayNotNow' },
      done: { type: 'final' },
    },
    output: ({ context }) => ({
      next: context.next ?? 'menu',
      ...(context.filed ? { filed: true, ...(context.clientReference ? { clientReference: context.clientReference } : {}) } : {}),
      ...(context.sibling ? { sibling: context.sibling } : {}),
    }),
  });
}

export type ReferralMachine = ReturnType<typeof createReferralMachine>;
