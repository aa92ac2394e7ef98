import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Choice, FlowEvent } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import type { FlowOutput } from '../flowKit';
import { toRuntime } from '../flowKit';
import { identityReferrer } from '../referral/referralBody';
import { referralQuestions } from '../referral/referralQuestions';
import { categoryChoices, referralSectionOf, referrerLines, reviewLines } from '../referral/referralText';
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

type Answer = Extract<FlowEvent, { type: 'ANSWER' }>;
const asAnswer = (event: FlowEvent): Answer | undefined => (event.type === 'ANSWER' ? event : undefined);
const answered = (question: string, value?: string) => ({ type: 'answered' as const, params: { question, value } });
const recordAnswer = [{ type: 'record' as const }];
const R = referralQuestions;

function ask(question: string, next: string) {
  return { meta: { question } as Record<string, unknown>, on: { ANSWER: { guard: answered(question), target: next, actions: recordAnswer } } };
}

const messageKeys = ['intel-intro', 'intel-empty', 'intel-shared', 'intel-cancelled', 'intel-summary-victims', 'intel-summary-offenders', 'intel-summary-locations', 'intel-summary-themes'];
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
      output: {} as FlowOutput,
    },
    guards: {
      answered: ({ event }, params: { question: string; value?: string }) =>
        asAnswer(event)?.questionId === params.question && (params.value === undefined || asAnswer(event)?.value === params.value),
      nothingToSend: ({ context }) => !hasIntelligence(context),
      identityHas: ({ context }, params: { field: 'name' | 'role' | 'organisation' | 'email' }) => identityReferrer(context.by)[params.field] !== undefined,
    },
    actions: {
      record: assign(({ context, event }) => {
        const answer = asAnswer(event);
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
          enqueue.sendParent(toRuntime.message({ text: words(pack, 'intel-phone', { clientReference }), value: { type: 'safeguarding.intelligenceShared', clientReference, status: 'phone' } }));
          enqueue.sendParent(toRuntime.message({ text: `${words(pack, 'intel-phone-record', { clientReference, when })}\n${context.review ?? ''}`, value: { type: 'safeguarding.intelligenceRecord', clientReference, delivery: 'phone' } }));
          for (const effect of intelligenceEffects(body)) if (effect.kind === 'audit.append') enqueue.sendParent(toRuntime.effect({ ...effect, payload: { ...effect.payload, delivery: 'phone' } }));
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
      victims: ask(Q.victims, 'offenders'),
      offenders: ask(Q.offenders, 'locations'),
      locations: ask(Q.locations, 'checkSomething'),
      checkSomething: { always: [{ guard: 'nothingToSend', target: 'empty' }, { target: 'themes' }] },
      themes: { ...ask(Q.themes, 'role'), entry: 'offerThemes', meta: { question: Q.themes, dynamicChoices: true } },
      role: { ...ask(R.role, 'org'), always: { guard: { type: 'identityHas', params: { field: 'role' } }, target: 'org' } },
      org: { ...ask(R.org, 'email'), always: { guard: { type: 'identityHas', params: { field: 'organisation' } }, target: 'email' } },
      email: { ...ask(R.email, 'name'), always: { guard: { type: 'identityHas', params: { field: 'email' } }, target: 'name' } },
      name: { ...ask(R.name, 'review'), always: { guard: { type: 'identityHas', params: { field: 'name' } }, target: 'review' } },
      review: {
        meta: { question: Q.confirm, textFrom: 'review' },
        entry: 'prepareReview',
        on: {
          ANSWER: [
            { guard: answered(Q.confirm, 'submit'), target: 'sent', actions: recordAnswer },
            { guard: answered(Q.confirm, 'cancel'), target: 'cancelled', actions: recordAnswer },
          ],
        },
      },
      sent: { type: 'final', entry: ['file', 'reportShared'] },
      empty: { type: 'final', entry: 'sayEmpty' },
      cancelled: { type: 'final', entry: 'sayCancelled' },
    },
    output: () => ({ next: 'menu' }),
  });
}

export type IntelligenceMachine = ReturnType<typeof createIntelligenceMachine>;
