import { assign, enqueueActions, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import type { ScreeningSection } from '../../content/screeningSchema';
import { DomainError } from '../../errors';
import type { AnswerValue, Choice, FlowEvent } from '../../protocol';
import { isKnownIndicator } from '../../vocabulary/catalogue';
import { isAdult } from '../../screening/categorise';
import { matchNarrative } from '../../screening/matchNarrative';
import { matchOtherHarm, otherHarmWords } from '../../screening/otherHarm';
import { raise, screen, type ScreeningOutcome, type ScreeningSummary } from '../../screening/outcome';
import type { ConcernKind, ConcernSubject } from '../../vocabulary/triage';
import { emergencyMessage } from '../../views';
import { answerOf, answered, ask, askThen, isAnswered, toRuntime, type FlowOutput } from '../flowKit';
import { checkIndicatorQuestions, checkIndicatorStates, firstIndicatorState, indicatorStates, offersOf } from './indicatorQuestions';
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

const freeTextQuestions = new Set(['screen-narrative', 'screen-judgement-reason']);

const picked = (value: AnswerValue | undefined): string[] => (Array.isArray(value) ? value : []);
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

function sectionOf(pack: ContentPack): ScreeningSection {
  if (!pack.screening) throw new DomainError('SG-CONTENT-INVALID', `pack ${pack.id} has no screening section`);
  return pack.screening;
}

function choicesOf(ids: readonly string[], context: ScreeningContext, section: ScreeningSection): Choice[] {
  return ids.filter((id) => !context.confirmed.includes(id)).map((id) => ({ value: id, title: section.indicators[id].label }));
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
 * counting. The rule lives in `flows/screening`; this machine only asks, records and reports. The
 * questions that offer indicators, and their order, are the pack's (`screening.indicatorQuestions`).
 */
export function createScreeningMachine(pack: ContentPack) {
  const section = sectionOf(pack);
  checkIndicatorQuestions(pack, section);
  const machine = screeningMachine(pack, section);
  checkIndicatorStates(section, machine.config.states ?? {});
  return machine;
}

function screeningMachine(pack: ContentPack, section: ScreeningSection) {
  const adult = (context: ScreeningContext) => isAdult(context.age, section);
  const firstIndicators = firstIndicatorState(section);

  return setup({
    types: {
      context: {} as ScreeningContext,
      events: {} as FlowEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      input: {} as ScreeningInput | undefined,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      output: {} as FlowOutput,
    },
    guards: {
      answered: isAnswered,
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
          const answer = answerOf(event);
          return answer ? foldAnswer(context.seed, answer.questionId, answer.value, freeTextQuestions.has(answer.questionId), answer.at, answer.ref) : context.seed;
        },
      }),
      setAbout: assign({ about: ({ event }) => answerOf(event)?.value as About }),
      setAge: assign({ age: ({ event }) => Number(answerOf(event)?.value) }),
      setNarrative: assign(({ event }) => {
        const narrative = String(answerOf(event)?.value ?? '');
        return { narrative, detected: matchNarrative(narrative, section.indicators), otherHarm: matchOtherHarm(narrative, section) };
      }),
      handOver: assign({ handedOver: true }),
      offer: assign({ choices: (_, params: { choices: Choice[] }) => params.choices }),
      offerIndicators: assign({ choices: ({ context }, params: { question: string }) => choicesOf(offersOf(section, params.question), context, section) }),
      confirmPicked: assign({
        confirmed: ({ context, event }) => {
          const offered = new Set(context.choices.map((c) => c.value));
          return union(
            context.confirmed,
            picked(answerOf(event)?.value).filter((id) => offered.has(id)),
          );
        },
      }),
      confirmMissing: assign({ confirmed: ({ context }) => union(context.confirmed, ['missing']) }),
      confirmMissingNow: assign({ confirmed: ({ context }) => union(context.confirmed, ['missing', 'missing-now']) }),
      setMissingCount: assign({ missingEpisodes: ({ event }) => Number(answerOf(event)?.value) }),
      setLookedAfter: assign(({ context, event }) =>
        answerOf(event)?.value === 'yes' ? { lookedAfterElsewhere: true, confirmed: withLookedAfter(context.confirmed) } : { lookedAfterElsewhere: false },
      ),
      computeResult: assign(({ context, event }) => {
        const rule = screen({ age: context.age, confirmed: context.confirmed, missingEpisodes: context.missingEpisodes }, section);
        const issued = context.issued + 1;
        return { rule, current: rule, issued, screeningId: screeningIdOf(context.seed, issued), decidedAt: answerOf(event)?.at };
      }),
      raiseResult: assign(({ context, event }) => {
        const answer = answerOf(event);
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
      // The pack's indicator questions, one state each; spread first, so a fixed state below keeps its
      // name in a clash, which `checkIndicatorStates` then refuses.
      ...indicatorStates(section, 'lookedAfterElsewhere'),
      // From the triage, who (and danger before it) is already answered.
      start: { always: [{ guard: 'aboutKnown', target: 'route' }, { target: 'about' }] },
      about: askThen('screen-about', 'danger', ['stamp', 'setAbout']),
      // Danger first, whoever the concern is about: no question may stand between a professional and 999.
      danger: ask('screen-immediate-danger', [
        { guard: answered('screen-immediate-danger', 'yes'), target: 'emergency', actions: 'stamp' },
        { guard: answered('screen-immediate-danger'), target: 'route', actions: 'stamp' },
      ]),
      route: { always: [{ guard: 'isStaff', target: 'lado' }, { guard: 'ageKnown', target: 'narrative' }, { target: 'age' }] },
      age: askThen('screen-age', 'narrative', ['stamp', 'setAge']),
      narrative: askThen('screen-narrative', 'heard', ['stamp', 'setNarrative']),
      // Rules §0: another kind of harm goes to its own route; the professional decides, having been told.
      heard: { always: [{ guard: 'heardOtherHarm', target: 'otherHarm' }, { target: 'confirmDetected' }] },
      otherHarm: {
        ...ask('screen-other-harm', [
          { guard: answered('screen-other-harm', 'other-route'), target: 'handover', actions: ['stamp', 'handOver'] },
          { guard: answered('screen-other-harm'), target: 'confirmDetected', actions: 'stamp' },
        ]),
        entry: { type: 'sendOtherHarm', params: { heard: 'heard' } },
      },
      confirmDetected: {
        ...askThen('screen-confirm-detected', 'missing', ['stamp', 'confirmPicked'], { dynamicChoices: true }),
        entry: { type: 'offer', params: ({ context }) => ({ choices: choicesOf(context.detected, context, section) }) },
        always: { guard: 'noChoices', target: 'missing' },
      },
      // Missing right now: straight to the result, whose first step is reporting them to the police.
      // Already confirmed from the narrative: only whether it is now, and the count, are still unknown.
      missing: {
        ...ask('screen-missing', [
          { guard: answered('screen-missing', 'yes'), target: 'missingNow', actions: ['stamp', 'confirmMissing'] },
          { guard: answered('screen-missing'), target: firstIndicators, actions: 'stamp' },
        ]),
        always: [
          { guard: 'missingNowConfirmed', target: 'result' },
          { guard: 'missingConfirmed', target: 'missingNow' },
        ],
      },
      missingNow: ask('screen-missing-now', [
        { guard: answered('screen-missing-now', 'yes'), target: 'result', actions: ['stamp', 'confirmMissingNow'] },
        { guard: answered('screen-missing-now'), target: 'missingCount', actions: 'stamp' },
      ]),
      missingCount: askThen('screen-missing-count', firstIndicators, ['stamp', 'setMissingCount']),
      // After the pack's indicator questions (above): whether another authority looks after them.
      lookedAfterElsewhere: askThen('screen-looked-after-elsewhere', 'result', ['stamp', 'setLookedAfter']),
      result: {
        entry: 'computeResult',
        always: [{ guard: 'nothingButOtherHarm', target: 'otherHarmAtResult' }, { target: 'issued' }],
      },
      // No exploitation indicator, but signs of another harm: never "category 0, keep them in mind".
      otherHarmAtResult: {
        ...ask('screen-other-harm', [
          { guard: answered('screen-other-harm', 'other-route'), target: 'handover', actions: ['stamp', 'handOver'] },
          { guard: answered('screen-other-harm'), target: 'issued', actions: 'stamp' },
        ]),
        entry: { type: 'sendOtherHarm', params: { heard: 'nothingFound' } },
      },
      issued: {
        entry: 'sendResult',
        always: [{ guard: 'canRaise', target: 'judgement' }, { target: 'done' }],
      },
      judgement: ask('screen-judgement', [
        { guard: answered('screen-judgement', 'raise'), target: 'judgementReason', actions: 'stamp' },
        { guard: answered('screen-judgement'), target: 'done', actions: 'stamp' },
      ]),
      judgementReason: askThen('screen-judgement-reason', 'raised', ['stamp', 'raiseResult', 'sendResult']),
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
