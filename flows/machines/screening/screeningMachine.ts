import { assign, enqueueActions, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import type { ScreeningSection } from '../../content/screeningSchema';
import { DomainError } from '../../errors';
import type { AnswerValue, Choice, FlowEvent } from '../../protocol';
import { askedCriticalIndicators, isKnownIndicator, vulnerabilityIndicators, type ScreeningGroupQuestion } from '../../screening/catalogue';
import { isAdult } from '../../screening/categorise';
import { matchNarrative } from '../../screening/matchNarrative';
import { matchOtherHarm, otherHarmWords } from '../../screening/otherHarm';
import { raise, screen, type ScreeningOutcome, type ScreeningSummary } from '../../screening/outcome';
import type { ConcernKind, ConcernSubject } from '../../triage/types';
import { emergencyMessage } from '../../views';
import { toRuntime, type FlowOutput } from '../flowKit';
import { foldAnswer, screeningIdOf } from './screeningId';
import { auditEffect, handoverMessage, ladoMessage, nextAfter, otherHarmMessage, resultMessage, resultValue } from './screeningMessages';

type About = ConcernSubject;

export interface ScreeningContext {
  about?: About;
  age?: number;
  /** Kept only to hand on to the referral; never put in a result, an effect or the id. */
  narrative?: string;
  /** Indicator ids proposed by the narrative (ids only). */
  detected: string[];
  /** Indicator ids the professional confirmed: risk, critical and vulnerabilities. */
  confirmed: string[];
  missingEpisodes?: number;
  lookedAfterElsewhere: boolean;
  /** The choices of the question being asked, when they depend on earlier answers (`meta.dynamicChoices`). */
  choices: Choice[];
  /** Running digest of the answers and their times: the deterministic part of every screening id. */
  seed: string;
  /** Results issued so far; a raise issues another, with its own id. */
  issued: number;
  screeningId?: string;
  rule?: ScreeningOutcome;
  current?: ScreeningOutcome;
  /** The `at` of the answer that produced the latest result, for the audit record's time. */
  decidedAt?: string;
  /** Run because a referral asked for it: the result offers the referral, whatever its pathway (not to an adult). */
  thenRefer: boolean;
  /** Kinds of harm other than exploitation heard in the narrative (ids, pack order). */
  otherHarm: ConcernKind[];
  /** The professional chose to go to the route of that other harm: the output hands over to `concern-kind`. */
  handedOver: boolean;
}

/**
 * What the root tells the screening. `thenRefer` when a referral was asked for. From the triage (rules §0):
 * who the concern is about and how old they are (the triage asked danger before who, so neither danger
 * nor who nor age is asked again), and the override facts already confirmed (counted, not offered again).
 * With no input the screening asks everything itself, as from the menu.
 */
export interface ScreeningInput {
  thenRefer?: boolean;
  about?: ConcernSubject;
  age?: number;
  confirmed?: readonly string[];
}

type Answer = Extract<FlowEvent, { type: 'ANSWER' }>;
const freeTextQuestions = new Set(['screen-narrative', 'screen-judgement-reason']);

const asAnswer = (event: FlowEvent): Answer | undefined => (event.type === 'ANSWER' ? event : undefined);
const picked = (value: AnswerValue | undefined): string[] => (Array.isArray(value) ? value : []);
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

function sectionOf(pack: ContentPack): ScreeningSection {
  if (!pack.screening) throw new DomainError('SG-CONTENT-INVALID', `pack ${pack.id} has no screening section`);
  return pack.screening;
}

function choicesOf(ids: readonly string[], context: ScreeningContext, section: ScreeningSection): Choice[] {
  return ids.filter((id) => !context.confirmed.includes(id)).map((id) => ({ value: id, title: section.indicators[id].label }));
}

function groupIds(question: ScreeningGroupQuestion, section: ScreeningSection): string[] {
  return Object.entries(section.indicators).filter(([, words]) => words.question === question).map(([id]) => id);
}

/** Being looked after by another authority means being looked after, whether or not it was ticked. */
function withLookedAfter(confirmed: string[]): string[] {
  return confirmed.includes('looked-after') || confirmed.includes('care-leaver') ? confirmed : [...confirmed, 'looked-after'];
}

/**
 * After a result: on to its pathway with the summary (the referral when one was asked for, except for an
 * adult); a hand-over to another kind of harm: the kind-of-concern question; staff: the LADO route;
 * immediate danger: the menu (999 was shown).
 */
function outputOf(context: ScreeningContext): FlowOutput {
  if (context.about === 'staff') return { next: 'lado' };
  if (context.handedOver) return { next: 'kind', ...(context.otherHarm[0] ? { suggestedKind: context.otherHarm[0] } : {}) };
  const screening = summaryOf(context);
  if (!screening) return { next: 'menu' };
  const refer = context.thenRefer && screening.pathway !== 'adult-safeguarding';
  return { next: refer ? 'refer' : nextAfter(screening.pathway), screening };
}

function summaryOf(context: ScreeningContext): ScreeningSummary | undefined {
  const outcome = context.current;
  if (!outcome || !context.screeningId) return undefined;
  return {
    screeningId: context.screeningId,
    category: outcome.category,
    pathway: outcome.pathway,
    urgency: outcome.urgency,
    indicators: outcome.indicators.map((i) => i.id),
    vulnerabilities: outcome.vulnerabilities,
    rationale: outcome.rationale,
    overrides: outcome.overrides,
    age: context.age,
    lookedAfterElsewhere: context.lookedAfterElsewhere,
    narrative: context.narrative,
  };
}

/**
 * The exploitation screening (issue 4): what the professional noticed becomes an explainable category
 * 0–4 and a pathway. Immediate danger leaves for 999 and a concern about staff for the LADO before any
 * counting. The rule lives in `flows/screening`; this machine only asks, records and reports.
 */
export function createScreeningMachine(pack: ContentPack) {
  const section = sectionOf(pack);
  const adult = (context: ScreeningContext) => isAdult(context.age, section);
  const groupChoices = (question: ScreeningGroupQuestion) => (context: ScreeningContext) =>
    choicesOf(groupIds(question, section), context, section);

  return setup({
    types: {
      context: {} as ScreeningContext,
      events: {} as FlowEvent,
      input: {} as ScreeningInput | undefined,
      output: {} as FlowOutput,
    },
    guards: {
      is: ({ event }, params: { question: string; value?: string }) =>
        asAnswer(event)?.questionId === params.question && (params.value === undefined || asAnswer(event)?.value === params.value),
      isStaff: ({ context }) => context.about === 'staff',
      aboutKnown: ({ context }) => context.about !== undefined,
      ageKnown: ({ context }) => context.age !== undefined,
      noChoices: ({ context }) => context.choices.length === 0,
      missingConfirmed: ({ context }) => context.confirmed.includes('missing'),
      missingNowConfirmed: ({ context }) => context.confirmed.includes('missing-now'),
      heardOtherHarm: ({ context }) => context.otherHarm.length > 0,
      // Category 0 is never the answer to another harm (review U4): hand over instead of "keep in mind".
      nothingButOtherHarm: ({ context }) => context.current?.category === 0 && context.otherHarm.length > 0,
      canRaise: ({ context }) => (context.current?.category ?? 4) < 4,
    },
    actions: {
      stamp: assign({
        seed: ({ context, event }) => {
          const answer = asAnswer(event);
          return answer ? foldAnswer(context.seed, answer.questionId, answer.value, freeTextQuestions.has(answer.questionId), answer.at, answer.ref) : context.seed;
        },
      }),
      setAbout: assign({ about: ({ event }) => asAnswer(event)?.value as About }),
      setAge: assign({ age: ({ event }) => Number(asAnswer(event)?.value) }),
      setNarrative: assign(({ event }) => {
        const narrative = String(asAnswer(event)?.value ?? '');
        return { narrative, detected: matchNarrative(narrative, section.indicators), otherHarm: matchOtherHarm(narrative, section) };
      }),
      handOver: assign({ handedOver: true }),
      offer: assign({ choices: (_, params: { choices: Choice[] }) => params.choices }),
      confirmPicked: assign({
        confirmed: ({ context, event }) => {
          const offered = new Set(context.choices.map((c) => c.value));
          return union(context.confirmed, picked(asAnswer(event)?.value).filter((id) => offered.has(id)));
        },
      }),
      confirmMissing: assign({ confirmed: ({ context }) => union(context.confirmed, ['missing']) }),
      confirmMissingNow: assign({ confirmed: ({ context }) => union(context.confirmed, ['missing', 'missing-now']) }),
      setMissingCount: assign({ missingEpisodes: ({ event }) => Number(asAnswer(event)?.value) }),
      setLookedAfter: assign(({ context, event }) =>
        asAnswer(event)?.value === 'yes' ? { lookedAfterElsewhere: true, confirmed: withLookedAfter(context.confirmed) } : { lookedAfterElsewhere: false },
      ),
      computeResult: assign(({ context, event }) => {
        const rule = screen({ age: context.age, confirmed: context.confirmed, missingEpisodes: context.missingEpisodes }, section);
        const issued = context.issued + 1;
        return { rule, current: rule, issued, screeningId: screeningIdOf(context.seed, issued), decidedAt: asAnswer(event)?.at };
      }),
      raiseResult: assign(({ context, event }) => {
        const answer = asAnswer(event);
        const current = raise(context.rule!, context.current!.category, String(answer?.value ?? ''), adult(context), section);
        const issued = context.issued + 1;
        return { current, issued, screeningId: screeningIdOf(context.seed, issued), decidedAt: answer?.at };
      }),
      sendResult: enqueueActions(({ context, enqueue }) => {
        const value = resultValue(context.current!, context.screeningId!, pack.version);
        enqueue.sendParent(toRuntime.message(resultMessage(pack, value, context.current!, context.lookedAfterElsewhere, context.thenRefer)));
        enqueue.sendParent(toRuntime.effect(auditEffect(value, { tellPlacingAuthority: context.lookedAfterElsewhere, at: context.decidedAt, age: context.age })));
      }),
      sendEmergency: enqueueActions(({ enqueue }) => enqueue.sendParent(toRuntime.message(emergencyMessage(pack)))),
      sendLado: enqueueActions(({ enqueue }) => enqueue.sendParent(toRuntime.message(ladoMessage(pack)))),
      sendOtherHarm: enqueueActions(({ context, enqueue }, params: { heard: 'heard' | 'nothingFound' }) =>
        enqueue.sendParent(toRuntime.message(otherHarmMessage(section, params.heard, otherHarmWords(context.otherHarm, section)))),
      ),
      sendHandover: enqueueActions(({ context, enqueue }) => {
        if (context.otherHarm[0]) enqueue.sendParent(toRuntime.message(handoverMessage(section, context.otherHarm[0])));
      }),
    },
  }).createMachine({
    id: 'screening',
    // 2: safety overrides, the crime group, missing now, the other-harm hand-over, input from the triage.
    version: '2',
    initial: 'start',
    context: ({ input }) => ({
      detected: [],
      confirmed: (input?.confirmed ?? []).filter(isKnownIndicator),
      lookedAfterElsewhere: false,
      choices: [],
      seed: '',
      issued: 0,
      thenRefer: input?.thenRefer ?? false,
      otherHarm: [],
      handedOver: false,
      ...(input?.about ? { about: input.about } : {}),
      ...(input?.age !== undefined ? { age: input.age } : {}),
    }),
    states: {
      // From the triage, who (and danger before it) is already answered.
      start: { always: [{ guard: 'aboutKnown', target: 'route' }, { target: 'about' }] },
      about: {
        meta: { question: 'screen-about' },
        on: { ANSWER: { guard: { type: 'is', params: { question: 'screen-about' } }, target: 'danger', actions: ['stamp', 'setAbout'] } },
      },
      // Danger first, whoever the concern is about: no question may stand between a professional and 999.
      danger: {
        meta: { question: 'screen-immediate-danger' },
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-immediate-danger', value: 'yes' } }, target: 'emergency', actions: 'stamp' },
            { guard: { type: 'is', params: { question: 'screen-immediate-danger' } }, target: 'route', actions: 'stamp' },
          ],
        },
      },
      route: { always: [{ guard: 'isStaff', target: 'lado' }, { guard: 'ageKnown', target: 'narrative' }, { target: 'age' }] },
      age: {
        meta: { question: 'screen-age' },
        on: { ANSWER: { guard: { type: 'is', params: { question: 'screen-age' } }, target: 'narrative', actions: ['stamp', 'setAge'] } },
      },
      narrative: {
        meta: { question: 'screen-narrative' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-narrative' } }, target: 'heard', actions: ['stamp', 'setNarrative'] },
        },
      },
      // Rules §0: another kind of harm goes to its own route; the professional decides, having been told.
      heard: { always: [{ guard: 'heardOtherHarm', target: 'otherHarm' }, { target: 'confirmDetected' }] },
      otherHarm: {
        meta: { question: 'screen-other-harm' },
        entry: { type: 'sendOtherHarm', params: { heard: 'heard' } },
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-other-harm', value: 'other-route' } }, target: 'handover', actions: ['stamp', 'handOver'] },
            { guard: { type: 'is', params: { question: 'screen-other-harm' } }, target: 'confirmDetected', actions: 'stamp' },
          ],
        },
      },
      confirmDetected: {
        meta: { question: 'screen-confirm-detected', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: choicesOf(context.detected, context, section) }) },
        always: { guard: 'noChoices', target: 'missing' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-confirm-detected' } }, target: 'missing', actions: ['stamp', 'confirmPicked'] },
        },
      },
      // Missing right now: straight to the result, whose first step is reporting them to the police.
      // Already confirmed from the narrative: only whether it is now, and the count, are still unknown.
      missing: {
        meta: { question: 'screen-missing' },
        always: [
          { guard: 'missingNowConfirmed', target: 'result' },
          { guard: 'missingConfirmed', target: 'missingNow' },
        ],
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-missing', value: 'yes' } }, target: 'missingNow', actions: ['stamp', 'confirmMissing'] },
            { guard: { type: 'is', params: { question: 'screen-missing' } }, target: 'people', actions: 'stamp' },
          ],
        },
      },
      missingNow: {
        meta: { question: 'screen-missing-now' },
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-missing-now', value: 'yes' } }, target: 'result', actions: ['stamp', 'confirmMissingNow'] },
            { guard: { type: 'is', params: { question: 'screen-missing-now' } }, target: 'missingCount', actions: 'stamp' },
          ],
        },
      },
      missingCount: {
        meta: { question: 'screen-missing-count' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-missing-count' } }, target: 'people', actions: ['stamp', 'setMissingCount'] },
        },
      },
      people: {
        meta: { question: 'screen-people', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: groupChoices('screen-people')(context) }) },
        always: { guard: 'noChoices', target: 'moneyOnline' },
        on: { ANSWER: { guard: { type: 'is', params: { question: 'screen-people' } }, target: 'moneyOnline', actions: ['stamp', 'confirmPicked'] } },
      },
      moneyOnline: {
        meta: { question: 'screen-money-online', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: groupChoices('screen-money-online')(context) }) },
        always: { guard: 'noChoices', target: 'healthBehaviour' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-money-online' } }, target: 'healthBehaviour', actions: ['stamp', 'confirmPicked'] },
        },
      },
      healthBehaviour: {
        meta: { question: 'screen-health-behaviour', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: groupChoices('screen-health-behaviour')(context) }) },
        always: { guard: 'noChoices', target: 'crime' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-health-behaviour' } }, target: 'crime', actions: ['stamp', 'confirmPicked'] },
        },
      },
      crime: {
        meta: { question: 'screen-crime', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: groupChoices('screen-crime')(context) }) },
        always: { guard: 'noChoices', target: 'critical' },
        on: { ANSWER: { guard: { type: 'is', params: { question: 'screen-crime' } }, target: 'critical', actions: ['stamp', 'confirmPicked'] } },
      },
      critical: {
        meta: { question: 'screen-critical', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: choicesOf(askedCriticalIndicators, context, section) }) },
        always: { guard: 'noChoices', target: 'vulnerabilities' },
        on: { ANSWER: { guard: { type: 'is', params: { question: 'screen-critical' } }, target: 'vulnerabilities', actions: ['stamp', 'confirmPicked'] } },
      },
      vulnerabilities: {
        meta: { question: 'screen-vulnerabilities', dynamicChoices: true },
        entry: { type: 'offer', params: ({ context }) => ({ choices: choicesOf(vulnerabilityIndicators, context, section) }) },
        always: { guard: 'noChoices', target: 'lookedAfterElsewhere' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-vulnerabilities' } }, target: 'lookedAfterElsewhere', actions: ['stamp', 'confirmPicked'] },
        },
      },
      lookedAfterElsewhere: {
        meta: { question: 'screen-looked-after-elsewhere' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-looked-after-elsewhere' } }, target: 'result', actions: ['stamp', 'setLookedAfter'] },
        },
      },
      result: {
        entry: 'computeResult',
        always: [{ guard: 'nothingButOtherHarm', target: 'otherHarmAtResult' }, { target: 'issued' }],
      },
      // No exploitation indicator, but signs of another harm: never "category 0, keep them in mind".
      otherHarmAtResult: {
        meta: { question: 'screen-other-harm' },
        entry: { type: 'sendOtherHarm', params: { heard: 'nothingFound' } },
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-other-harm', value: 'other-route' } }, target: 'handover', actions: ['stamp', 'handOver'] },
            { guard: { type: 'is', params: { question: 'screen-other-harm' } }, target: 'issued', actions: 'stamp' },
          ],
        },
      },
      issued: {
        entry: 'sendResult',
        always: [{ guard: 'canRaise', target: 'judgement' }, { target: 'done' }],
      },
      judgement: {
        meta: { question: 'screen-judgement' },
        on: {
          ANSWER: [
            { guard: { type: 'is', params: { question: 'screen-judgement', value: 'raise' } }, target: 'judgementReason', actions: 'stamp' },
            { guard: { type: 'is', params: { question: 'screen-judgement' } }, target: 'done', actions: 'stamp' },
          ],
        },
      },
      judgementReason: {
        meta: { question: 'screen-judgement-reason' },
        on: {
          ANSWER: { guard: { type: 'is', params: { question: 'screen-judgement-reason' } }, target: 'raised', actions: ['stamp', 'raiseResult', 'sendResult'] },
        },
      },
      // Each raise is one category and its own result; the professional may raise again up to 4.
      raised: { always: [{ guard: 'canRaise', target: 'judgement' }, { target: 'done' }] },
      done: { type: 'final' },
      emergency: { type: 'final', entry: 'sendEmergency' },
      lado: { type: 'final', entry: 'sendLado' },
      handover: { type: 'final', entry: 'sendHandover' },
    },
    // The machine's output (xstate takes it from the root, not from the final state reached).
    output: ({ context }) => outputOf(context),
  });
}

export type ScreeningMachine = ReturnType<typeof createScreeningMachine>;
