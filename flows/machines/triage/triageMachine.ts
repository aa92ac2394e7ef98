import { assign, enqueueActions, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import type { Choice, FlowEvent } from '../../protocol';
import type { ScreeningSummary } from '../../screening/outcome';
import { evaluateOverrides } from '../../screening/overrides';
import type { OverrideCorrection, TriageSummary } from '../../vocabulary/triage';
import { isChildProtectionKind } from '../../triage/routeLogic';
import { concernKinds, overrideFacts, type ConcernKind, type ConcernSubject, type OverrideResult } from '../../vocabulary/triage';
import { emergencyMessage } from '../../views';
import { answerOf, answered, ask, askThen, isAnswered, toRuntime, type FlowOutput } from '../flowKit';
import { digest, foldAnswer } from '../screening/screeningId';
import { correctionAudit, correctionsOf, correctionText, overridesQuestion, type UndoneFacts } from './triageCorrections';
import { adultRouteKeys, childRouteOutcome, type RouteOutcome } from './triageOutcome';
import { checkTriagePack, kindChoices, overrideChoices, overrideText, resultMessage, say, triageAudit, type TriageResultValue } from './triageText';

/** How the triage was opened: "Make a referral" (every kind) or "Is this exploitation?" (kind implied). */
export type TriageMode = 'refer' | 'screen';

export interface TriageInput {
  mode: TriageMode;
  /** A screening already run in this conversation: its confirmed indicators answer the override facts. */
  screening?: ScreeningSummary;
  /** Facts a triage earlier in this conversation already asked (not asked twice). */
  facts?: readonly string[];
  /** Resume after the screening handed over: who and how old are known; open at `concern-kind` or the LADO. */
  resume?: { at: 'kind' | 'lado'; about?: ConcernSubject; age?: number; suggestedKind?: ConcernKind };
  /** Override answers corrected in a triage earlier in this conversation: they stay on the record. */
  corrections?: readonly OverrideCorrection[];
}

export interface TriageContext {
  mode: TriageMode;
  about?: ConcernSubject;
  age?: number;
  /** Override facts confirmed (ids only); undefined until asked or carried. */
  facts?: string[];
  overrides: OverrideResult;
  kind?: ConcernKind;
  suggestedKind?: ConcernKind;
  /** Route answers by question id ('yes' / 'no' / a choice value). */
  answers: Record<string, string>;
  lado: boolean;
  screening?: ScreeningSummary;
  choices: Choice[];
  seed: string;
  issued: number;
  at?: string;
  outcome?: RouteOutcome;
  next?: FlowOutput['next'];
  /**
   * Answers to the override facts that `back` undid (the runtime's `CORRECTED`), until the question is
   * answered again, and the first age undone with them: a correction is judged at the age it was given.
   * Optional, so snapshots saved before corrections were kept still restore.
   */
  undone?: UndoneFacts[];
  undoneAge?: number;
  /** Override answers corrected here (ids only): said, audited, shown in the result and carried to the referral. */
  corrections?: OverrideCorrection[];
  /** Those corrected in a triage earlier in this conversation (its facts are carried, so not asked again). */
  earlierCorrections?: OverrideCorrection[];
}

/** Every correction on this triage's record, earlier ones first. */
const allCorrections = (context: TriageContext): OverrideCorrection[] => [...(context.earlierCorrections ?? []), ...(context.corrections ?? [])];

type Corrected = Extract<FlowEvent, { type: 'CORRECTED' }>;
const asCorrected = (event: FlowEvent): Corrected | undefined => (event.type === 'CORRECTED' ? event : undefined);
const noOverrides: OverrideResult = { fired: [], steps: [] };
const isFact = (id: string) => (overrideFacts as readonly string[]).includes(id);
const isKind = (value: unknown): value is ConcernKind => typeof value === 'string' && (concernKinds as readonly string[]).includes(value);

/** What the triage hands on: to the screening (exploitation) or the referral (every other kind). */
function summaryOf(context: TriageContext): TriageSummary | undefined {
  if (!context.about || !context.kind) return undefined;
  const urgency = context.outcome?.urgency ?? context.overrides.urgency ?? 'routine';
  return {
    about: context.about,
    ...(context.age !== undefined ? { age: context.age } : {}),
    kind: context.kind,
    facts: context.facts ?? [],
    overrides: context.overrides,
    urgency,
    ...(context.overrides.category ? { category: context.overrides.category } : {}),
    steps: context.outcome?.steps ?? context.overrides.steps,
    ...(allCorrections(context).length ? { corrections: allCorrections(context) } : {}),
  };
}

const keep = ['stamp', 'keepAnswer'] as const;

/** A yes/no route question recorded under its id, then on to `next` (or `ifYes`). */
function yesNo(question: string, next: string, ifYes = next) {
  return ask(question, [
    { guard: answered(question, 'yes'), target: ifYes, actions: keep },
    { guard: answered(question), target: next, actions: keep },
  ]);
}

/**
 * The order of evaluation every flow goes through (guidance rules §0; issue 17): immediate danger (999 and
 * stop) → who the concern is about (staff → the LADO and then the child's own route; 18+ → the adult route,
 * never a children's referral) → age → the override facts, asked once (`concern-overrides`) → a child
 * missing now goes to the missing route first → the kind of concern, chosen or confirmed by the professional
 * (`concern-kind`) → that kind's route. An override that fires fixes category, urgency and the police steps
 * whatever is answered after it; only changing the answer that fired it (`back`) re-evaluates it, and each
 * evaluation is audited. Exploitation leaves for the screening (`next: 'screen'`); a route that refers
 * leaves for the referral (`next: 'refer'`) with the summary.
 */
export function createTriageMachine(pack: ContentPack) {
  checkTriagePack(pack);
  const rules = pack.routes!;
  const adultFrom = pack.screening?.adultFromAge ?? 18;
  const section = pack.screening!;

  return setup({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
    types: { context: {} as TriageContext, events: {} as FlowEvent, input: {} as TriageInput, output: {} as FlowOutput },
    guards: {
      answered: isAnswered,
      // Typed in full: a guard with params beside the kit's `answered` is not inferred from its context.
      resumeAt: ({ context }: { context: TriageContext }, params: { at: 'kind' | 'lado' }) => context.next === (params.at === 'kind' ? 'kind' : 'lado'),
      factsKnown: ({ context }) => context.facts !== undefined,
      adultAge: ({ context }) => context.age !== undefined && context.age >= adultFrom,
      missingNow: ({ context }) => context.facts?.includes('missing-now') === true,
      screenMode: ({ context }) => context.mode === 'screen',
      kindIs: ({ context }: { context: TriageContext }, params: { kind: ConcernKind }) => context.kind === params.kind,
      childProtection: ({ context }) => isChildProtectionKind(context.kind),
      screened: ({ context }) => context.screening !== undefined,
      preventOnly: ({ context }) => context.answers['prevent-other-needs'] !== 'yes',
      refers: ({ context }) => context.outcome?.refer === true,
    },
    actions: {
      stamp: assign(({ context, event }) => {
        const a = answerOf(event);
        return a ? { seed: foldAnswer(context.seed, a.questionId, a.value, false, a.at, a.ref), at: a.at ?? context.at } : {};
      }),
      keepAnswer: assign({ answers: ({ context, event }) => ({ ...context.answers, [answerOf(event)!.questionId]: String(answerOf(event)!.value) }) }),
      setAbout: assign({ about: ({ event }) => answerOf(event)?.value as ConcernSubject }),
      setAge: assign({ age: ({ event }) => Number(answerOf(event)?.value) }),
      offerFacts: assign({ choices: () => overrideChoices(pack) }),
      setFacts: assign(({ context, event }) => {
        const picked = answerOf(event)?.value;
        const facts = (Array.isArray(picked) ? picked : []).filter(isFact);
        const overrides = evaluateOverrides({ age: context.age, facts }, section);
        // Only correcting the very answer that fired an override may lower it; the correction is kept.
        const corrected = correctionsOf(context.undone ?? [], { facts, overrides, age: context.age, undoneAge: context.undoneAge, at: answerOf(event)?.at }, section);
        return { facts, overrides, undone: undefined, undoneAge: undefined, corrections: corrected };
      }),
      noteUndone: assign(({ context, event }) => {
        const undone = asCorrected(event);
        if (undone?.questionId === 'screen-age') return context.undoneAge === undefined ? { undoneAge: Number(undone.value) } : {};
        if (undone?.questionId !== overridesQuestion) return {};
        const facts = (Array.isArray(undone.value) ? undone.value : []).filter(isFact);
        return { undone: [...(context.undone ?? []), { facts, ...(undone.at ? { at: undone.at } : {}), ...(context.age !== undefined ? { age: context.age } : {}) }] };
      }),
      evaluateCarried: assign(({ context }) => ({ overrides: evaluateOverrides({ age: context.age, facts: context.facts ?? [] }, section) })),
      offerKinds: assign({ choices: ({ context }) => kindChoices(pack, context.suggestedKind) }),
      setKind: assign({ kind: ({ event }) => (isKind(answerOf(event)?.value) ? (answerOf(event)!.value as ConcernKind) : 'other') }),
      implyExploitation: assign({ kind: 'exploitation' as const }),
      implyMissing: assign({ kind: ({ context }) => context.kind ?? ('missing' as const) }),
      markLado: assign({ lado: true, about: 'staff' as const }),
      goTo: assign({ next: (_, params: { next: FlowOutput['next'] }) => params.next }),
      computeChild: assign(({ context }) => ({
        outcome: childRouteOutcome(
          {
            kind: context.kind ?? 'other',
            missingNow: context.facts?.includes('missing-now') === true,
            answers: context.answers,
            overrides: context.overrides,
            socialWorker: context.answers['concern-social-worker'] === 'yes',
            lado: context.lado,
          },
          rules,
        ),
        issued: context.issued + 1,
      })),
      computeAdult: assign(({ context }) => {
        const { keys, steps } = adultRouteKeys(context.answers);
        return { outcome: { keys, steps, urgency: 'routine' as const, refer: false }, issued: context.issued + 1 };
      }),
      sendOverrides: enqueueActions(({ context, enqueue }) => {
        // A correction of an answer that fired an override is said and audited with the original answer.
        const fresh = context.corrections ?? [];
        const corrected = correctionText(pack, fresh);
        if (corrected) enqueue.sendParent(toRuntime.message({ text: corrected }));
        fresh.forEach((c, i) => enqueue.sendParent(toRuntime.effect(correctionAudit(c, `toc-${digest(`${context.seed}#correction#${i}`)}`, pack.version))));
        const text = overrideText(pack, context.overrides);
        if (text) enqueue.sendParent(toRuntime.message({ text }));
        // Every evaluation is audited, so a corrected answer (`back`) leaves the original on the record too.
        const id = `tro-${digest(`${context.seed}#overrides`)}`;
        const { fired, category, urgency } = context.overrides;
        const payload = {
          recordType: 'triage-overrides',
          facts: context.facts ?? [],
          fired: fired.map((f) => f.id),
          ...(category ? { category } : {}),
          ...(urgency ? { urgency } : {}),
          ...(context.at ? { recordedAt: context.at } : {}),
          contentVersion: pack.version,
        };
        enqueue.sendParent(toRuntime.effect({ kind: 'audit.append', id, payload }));
      }),
      sendResult: enqueueActions(({ context, enqueue }) => {
        const outcome = context.outcome!;
        const value: TriageResultValue = {
          type: 'safeguarding.triageResult',
          triageId: `tri-${digest(`${context.seed}#${context.issued}`)}-${context.issued}`,
          about: context.about ?? 'child',
          ...(context.kind ? { kind: context.kind } : {}),
          ...(context.about === 'young-adult' || (context.age ?? 0) >= adultFrom ? {} : { urgency: outcome.urgency }),
          ...(context.overrides.category ? { category: context.overrides.category } : {}),
          overrides: context.overrides.fired.map((f) => f.id),
          steps: outcome.steps,
          refer: outcome.refer,
          contentVersion: pack.version,
        };
        enqueue.sendParent(toRuntime.message(resultMessage(pack, value, context.overrides, outcome.keys, correctionText(pack, allCorrections(context)))));
        enqueue.sendParent(toRuntime.effect(triageAudit(value, { age: context.age, at: context.at, facts: context.facts ?? [] })));
      }),
      say: enqueueActions(({ enqueue }, params: { key: 'route-lado' | 'route-lado-child' | 'route-adult' }) => {
        const value = params.key === 'route-lado' ? { type: 'safeguarding.handoff', kind: 'lado' } : undefined;
        enqueue.sendParent(toRuntime.message({ text: say(pack, params.key), ...(value ? { value } : {}) }));
      }),
      sendEmergency: enqueueActions(({ enqueue }) => enqueue.sendParent(toRuntime.message(emergencyMessage(pack)))),
    },
  }).createMachine({
    id: 'triage',
    version: '1',
    context: ({ input }) => ({
      mode: input?.mode ?? 'refer',
      about: input?.resume?.about,
      age: input?.resume?.age,
      facts: input?.facts ? [...input.facts] : input?.screening ? input.screening.indicators.filter(isFact) : undefined,
      overrides: noOverrides,
      suggestedKind: input?.resume?.suggestedKind,
      answers: {},
      lado: false,
      ...(input?.screening ? { screening: input.screening } : {}),
      choices: [],
      seed: '',
      issued: 0,
      next: input?.resume ? input.resume.at : undefined,
      ...(input?.corrections?.length ? { earlierCorrections: [...input.corrections] } : {}),
    }),
    initial: 'start',
    // `back` undid an answer: the triage notes an undone override answer (or age); anything else changes nothing.
    on: { CORRECTED: { actions: 'noteUndone' } },
    states: {
      start: {
        always: [
          // The screening has already said the LADO line: on to the child's route question.
          { guard: { type: 'resumeAt', params: { at: 'lado' } }, target: 'ladoChild', actions: 'markLado' },
          { guard: { type: 'resumeAt', params: { at: 'kind' } }, target: 'carriedFacts' },
          { target: 'danger' },
        ],
      },
      // Danger first, whoever the concern is about: no question stands between a professional and 999.
      danger: ask('screen-immediate-danger', [
        { guard: answered('screen-immediate-danger', 'yes'), target: 'emergency', actions: 'stamp' },
        { guard: answered('screen-immediate-danger'), target: 'about', actions: 'stamp' },
      ]),
      about: ask('screen-about', [
        { guard: answered('screen-about', 'staff'), target: 'lado', actions: ['stamp', 'setAbout'] },
        { guard: answered('screen-about', 'young-adult'), target: 'adult', actions: ['stamp', 'setAbout'] },
        { guard: answered('screen-about'), target: 'age', actions: ['stamp', 'setAbout'] },
      ]),
      age: askThen('screen-age', 'byAge', ['stamp', 'setAge']),
      byAge: { always: [{ guard: 'adultAge', target: 'adult' }, { target: 'overrides' }] },
      // Asked once per conversation: a screening (or triage) that already answered them is not asked again.
      overrides: {
        ...askThen('concern-overrides', 'afterOverrides', ['stamp', 'setFacts', 'sendOverrides'], { dynamicChoices: true }),
        entry: 'offerFacts',
        always: { guard: 'factsKnown', target: 'afterOverrides', actions: 'evaluateCarried' },
      },
      carriedFacts: { entry: 'evaluateCarried', always: 'kind' },
      // A child missing now goes to the missing route before any screening or kind (rules §6.2, §7).
      afterOverrides: {
        always: [{ guard: 'missingNow', target: 'missingHighRisk', actions: 'implyMissing' }, { guard: 'screenMode', target: 'toScreening' }, { target: 'kind' }],
      },
      kind: { ...askThen('concern-kind', 'byKind', ['stamp', 'setKind'], { dynamicChoices: true }), entry: 'offerKinds' },
      byKind: {
        always: [
          { guard: { type: 'kindIs', params: { kind: 'exploitation' } }, target: 'exploitation' },
          { guard: { type: 'kindIs', params: { kind: 'missing' } }, target: 'missingElsewhere' },
          { guard: { type: 'kindIs', params: { kind: 'radicalisation' } }, target: 'preventImminent' },
          { guard: { type: 'kindIs', params: { kind: 'fgm' } }, target: 'fgmStatus' },
          { target: 'cpInjury' },
        ],
      },
      // With a screening already carried the referral follows; otherwise the screening runs first.
      exploitation: { always: [{ guard: 'screened', target: 'socialWorker' }, { target: 'toScreening' }] },
      toScreening: { type: 'final', entry: [{ type: 'implyExploitation' }, { type: 'goTo', params: { next: 'screen' } }] },
      cpInjury: yesNo('cp-injury', 'cpDisclosure'),
      cpDisclosure: yesNo('cp-disclosure', 'cpCarer'),
      cpCarer: yesNo('cp-carer', 'cpImmediate'),
      cpImmediate: yesNo('cp-immediate-risk', 'cpRecent'),
      cpRecent: yesNo('cp-recent-offence', 'socialWorker'),
      preventImminent: yesNo('prevent-imminent', 'preventOther'),
      preventOther: yesNo('prevent-other-needs', 'childResult', 'socialWorker'),
      fgmStatus: ask('fgm-status', [
        { guard: answered('fgm-status', 'known'), target: 'fgmRegulated', actions: keep },
        { guard: answered('fgm-status'), target: 'socialWorker', actions: keep },
      ]),
      fgmRegulated: yesNo('fgm-regulated', 'socialWorker'),
      missingHighRisk: yesNo('missing-high-risk', 'missingElsewhere'),
      missingElsewhere: yesNo('screen-looked-after-elsewhere', 'socialWorker'),
      socialWorker: yesNo('concern-social-worker', 'childResult'),
      childResult: {
        entry: ['computeChild', 'sendResult'],
        always: [
          { guard: 'screenMode', target: 'toScreening' },
          { guard: 'refers', target: 'done', actions: { type: 'goTo', params: { next: 'refer' } } },
          { target: 'done', actions: { type: 'goTo', params: { next: 'menu' } } },
        ],
      },
      // Staff: the LADO, and then the child's own route when a child may be harmed (U3).
      lado: { entry: [{ type: 'markLado' }, { type: 'say', params: { key: 'route-lado' } }], always: 'ladoChild' },
      ladoChild: ask('lado-child-harmed', [
        { guard: answered('lado-child-harmed', 'yes'), target: 'ladoToChild', actions: keep },
        { guard: answered('lado-child-harmed'), target: 'done', actions: [...keep, { type: 'goTo', params: { next: 'menu' } }] },
      ]),
      ladoToChild: { entry: { type: 'say', params: { key: 'route-lado-child' } }, always: [{ guard: 'factsKnown', target: 'carriedFacts' }, { target: 'age' }] },
      // 18 to 25: adult safeguarding, never a children's referral (U6).
      adult: { entry: [assign({ about: 'young-adult' as const }), { type: 'say', params: { key: 'route-adult' } }], always: 'adultCareLeaver' },
      adultCareLeaver: yesNo('adult-care-leaver', 'adultCapacity'),
      adultCapacity: ask('adult-capacity', [
        { guard: answered('adult-capacity', 'yes'), target: 'adultAgrees', actions: keep },
        { guard: answered('adult-capacity'), target: 'adultResult', actions: keep },
      ]),
      adultAgrees: yesNo('adult-agrees', 'adultOthers', 'adultResult'),
      adultOthers: yesNo('adult-others-at-risk', 'adultResult'),
      adultResult: { entry: ['computeAdult', 'sendResult', { type: 'goTo', params: { next: 'menu' } }], always: 'done' },
      emergency: { type: 'final', entry: ['sendEmergency', { type: 'goTo', params: { next: 'menu' } }] },
      done: { type: 'final' },
    },
    output: ({ context }) => {
      const triage = summaryOf(context);
      return { next: context.next ?? 'menu', ...(triage ? { triage } : {}) };
    },
  });
}

export type TriageMachine = ReturnType<typeof createTriageMachine>;
