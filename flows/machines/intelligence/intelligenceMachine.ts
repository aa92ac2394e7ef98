import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Choice, FlowEvent } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import { answerOf, ask, askThen, answered, isAnswered, toRuntime, type FlowOutput } from '../flowKit';
import { identityHas, identityStates, referrerLines } from '../identityQuestions';
import { categoryChoices, referralSectionOf, reviewLines } from '../referral/referralText';
import { words } from '../referral/referralWords';
import type { ReferralDelivery } from '../referral/referralPhone';
import { londonTimeZone } from '../../advice/zonedTime';
import { buildIntelligenceBody, hasIntelligence, intelligenceEffects, intelligenceQuestions as Q, intelligenceSummary } from './intelligenceBody';

export interface IntelligenceContext {
  answers: Record<string, AnswerValue>;
  by?: AnswerIdentity;
  at?: string;
  ref?: string;
  choices: Choice[];
  /** The summary to check, shown after the confirmation's text (`meta.textFrom`). */
  review?: string;
  clientReference?: string;
}

const step = (question: string, next: string) => askThen(question, next, 'record');

const messageKeys = [
  'intel-intro',
  'intel-empty',
  'intel-shared',
  'intel-cancelled',
  'intel-summary-victims',
  'intel-summary-offenders',
  'intel-summary-locations',
  'intel-summary-themes',
];
const phoneMessageKeys = ['intel-phone', 'intel-phone-record'];

/**
 * "Share intelligence" (issue 5): soft intelligence that is not a referral, as VOLT (victims, offenders,
 * locations with vehicles, themes), from the professional named as its source (the referral's referrer
 * questions, skipped when the sign-in gives them). Sending is one step: a confirmation message, one
 * `outbox.enqueue` for `POST /intelligence`, and an audit record of its themes (never its words).
 */
export function createIntelligenceMachine(pack: ContentPack, { delivery = 'mash' }: { delivery?: ReferralDelivery } = {}) {
  referralSectionOf(pack);
  const absent = [...messageKeys, ...(delivery === 'phone' ? phoneMessageKeys : [])].find((key) => !pack.messages[key]);
  if (absent) throw new DomainError('SG-CONTENT-INVALID', `message "${absent}" is needed by the intelligence flow`);
  return setup({
    types: {
      context: {} as IntelligenceContext,
      events: {} as FlowEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      output: {} as FlowOutput,
    },
    guards: {
      answered: isAnswered,
      nothingToSend: ({ context }) => !hasIntelligence(context),
      identityHas,
    },
    actions: {
      record: assign(({ context, event }) => {
        const answer = answerOf(event);
        if (!answer) return {};
        const stamps = { at: answer.at ?? context.at, ref: answer.ref ?? context.ref, by: answer.by ?? context.by };
        return answer.questionId === Q.confirm ? stamps : { ...stamps, answers: { ...context.answers, [answer.questionId]: answer.value } };
      }),
      offerThemes: assign({ choices: () => categoryChoices(pack) }),
      prepareReview: assign(({ context }) => ({ choices: [], review: `${intelligenceSummary(pack, context)}\n${reviewLines(pack, referrerLines(context))}` })),
      file: assign(({ context }) => ({ clientReference: clientReferenceOf('SGI', { answers: context.answers, at: context.at, ref: context.ref, counter: 0 }) })),
      intro: sendParent(toRuntime.say('intel-intro')),
      sayEmpty: sendParent(toRuntime.say('intel-empty')),
      sayCancelled: sendParent(toRuntime.say('intel-cancelled')),
      reportShared: enqueueActions(({ context, enqueue }) => {
        if (!context.at || !context.clientReference) throw new DomainError('SG-INTERNAL', 'intelligence was sent without the time of the answer that sent it');
        const body = buildIntelligenceBody(pack, context, { clientReference: context.clientReference, at: context.at });
        const clientReference = context.clientReference;
        if (delivery === 'phone') {
          // REFERRALS=phone: no intake API, so nothing is queued (it would wait for ever); the professional
          // passes it on by phone from the record, and only the audit record of its themes is kept.
          const when = new Intl.DateTimeFormat(pack.locale, { timeZone: londonTimeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(context.at));
          enqueue.sendParent(
            toRuntime.message({ text: words(pack, 'intel-phone', { clientReference }), value: { type: 'safeguarding.intelligenceShared', clientReference, status: 'phone' } }),
          );
          enqueue.sendParent(
            toRuntime.message({
              text: `${words(pack, 'intel-phone-record', { clientReference, when })}\n${context.review ?? ''}`,
              value: { type: 'safeguarding.intelligenceRecord', clientReference, delivery: 'phone' },
            }),
          );
          for (const effect of intelligenceEffects(body))
            if (effect.kind === 'audit.append') enqueue.sendParent(toRuntime.effect({ ...effect, payload: { ...effect.payload, delivery: 'phone' } }));
          return;
        }
        const text = words(pack, 'intel-shared', { clientReference });
        enqueue.sendParent(toRuntime.message({ text, value: { type: 'safeguarding.intelligenceShared', clientReference, status: 'queued' } }));
        for (const effect of intelligenceEffects(body)) enqueue.sendParent(toRuntime.effect(effect));
      }),
    },
  }).createMachine({
    id: 'intelligence',
    version: '1',
    context: { answers: {}, choices: [] },
    entry: 'intro',
    initial: 'victims',
    states: {
      victims: step(Q.victims, 'offenders'),
      offenders: step(Q.offenders, 'locations'),
      locations: step(Q.locations, 'checkSomething'),
      checkSomething: { always: [{ guard: 'nothingToSend', target: 'empty' }, { target: 'themes' }] },
      themes: { ...askThen(Q.themes, 'role', 'record', { dynamicChoices: true }), entry: 'offerThemes' },
      // The source of the intelligence: the referral's referrer questions, skipped when the sign-in gives them.
      ...identityStates(step, 'review'),
      review: {
        ...ask(
          Q.confirm,
          [
            { guard: answered(Q.confirm, 'submit'), target: 'sent', actions: 'record' },
            { guard: answered(Q.confirm, 'cancel'), target: 'cancelled', actions: 'record' },
          ],
          { textFrom: 'review' },
        ),
        entry: 'prepareReview',
      },
      sent: { type: 'final', entry: ['file', 'reportShared'] },
      empty: { type: 'final', entry: 'sayEmpty' },
      cancelled: { type: 'final', entry: 'sayCancelled' },
    },
    output: () => ({ next: 'menu' }),
  });
}

export type IntelligenceMachine = ReturnType<typeof createIntelligenceMachine>;
