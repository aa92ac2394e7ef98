import type { RoutesSection } from '../../content/routesSchema';
import { adultOutcome, childProtectionSteps, childProtectionUrgency, combine, fgmOutcome, missingOutcome, preventOutcome, type RouteAnswers } from '../../triage/routeLogic';
import type { ConcernKind, OverrideResult, RouteStep, Urgency } from '../../vocabulary/triage';
import type { TriageMessageKey } from './triageText';

/** What a child's route decided: its words (pack keys), urgency, steps, and whether it ends in a MASH referral. */
export interface RouteOutcome {
  keys: TriageMessageKey[];
  urgency: Urgency;
  steps: RouteStep[];
  refer: boolean;
}

export interface ChildRouteInput {
  kind: ConcernKind;
  missingNow: boolean;
  answers: RouteAnswers;
  overrides: OverrideResult;
  /** `concern-social-worker`: an allocated social worker is told instead of the Front Door. */
  socialWorker: boolean;
  /** Came through the LADO: the LADO step stays on the record of the child's route. */
  lado: boolean;
}

const mashKey: Record<Urgency, TriageMessageKey> = { immediate: 'route-mash-immediate', 'same-day': 'route-mash-same-day', routine: 'route-mash-routine' };
const yes = (answers: RouteAnswers, q: string) => answers[q] === 'yes';

function ownRoute(input: ChildRouteInput, rules: RoutesSection): { keys: TriageMessageKey[]; urgency: Urgency; steps: RouteStep[]; refer: boolean } {
  const { kind, answers } = input;
  if (kind === 'missing' || input.missingNow) {
    const { urgency, steps } = missingOutcome(input.missingNow, answers);
    const now: TriageMessageKey[] = input.missingNow ? [yes(answers, 'missing-high-risk') ? 'route-missing-high-risk' : 'route-missing-now'] : [];
    const elsewhere: TriageMessageKey[] = yes(answers, 'screen-looked-after-elsewhere') ? ['route-placing-authority'] : [];
    return { keys: [...now, 'route-missing-return', ...elsewhere], urgency, steps, refer: true };
  }
  if (kind === 'radicalisation') {
    const { urgency, steps, refer } = preventOutcome(answers);
    const keys: TriageMessageKey[] = [
      ...(yes(answers, 'prevent-imminent') ? (['route-prevent-imminent'] as const) : []),
      'route-prevent',
      ...(refer ? (['route-prevent-mash'] as const) : []),
    ];
    return { keys, urgency, steps, refer };
  }
  if (kind === 'fgm') {
    const { urgency, steps } = fgmOutcome(answers);
    const key: TriageMessageKey = answers['fgm-status'] !== 'known' ? 'route-fgm-at-risk' : yes(answers, 'fgm-regulated') ? 'route-fgm-duty' : 'route-fgm-known';
    return { keys: [key], urgency, steps, refer: true };
  }
  // Exploitation reaches here only with a screening already carried: the screening decided; the route files it.
  if (kind === 'exploitation') return { keys: [], urgency: 'routine', steps: ['mash-referral'], refer: true };
  const urgency = childProtectionUrgency(answers, rules.childProtection);
  const keys: TriageMessageKey[] = [
    ...(yes(answers, 'cp-recent-offence') ? (['route-cp-police-first'] as const) : []),
    'route-cp',
    ...(kind === 'forced-marriage' ? (['route-forced-marriage'] as const) : []),
    ...(yes(answers, 'cp-carer') ? (['route-do-not-tell-parent'] as const) : []),
    ...(yes(answers, 'cp-disclosure') || input.overrides.steps.includes('disclosure-response') ? (['route-disclosure'] as const) : []),
  ];
  return { keys, urgency, steps: childProtectionSteps(answers, urgency), refer: true };
}

/**
 * A child's route with the overrides applied: the higher urgency always wins, the police steps stay, and
 * the MASH words follow the final urgency (or the allocated social worker's, O3).
 */
export function childRouteOutcome(input: ChildRouteInput, rules: RoutesSection): RouteOutcome {
  const own = ownRoute(input, rules);
  const lado: RouteStep[] = input.lado ? ['lado', 'child-route-too'] : [];
  const { urgency, steps } = combine(input.overrides, { urgency: own.urgency, steps: [...lado, ...own.steps] }, input.socialWorker);
  const referToMash = own.refer || input.overrides.fired.length > 0;
  const contact: TriageMessageKey[] = input.socialWorker ? ['route-social-worker'] : referToMash ? [mashKey[urgency]] : [];
  const talk: TriageMessageKey[] = urgency === 'immediate' ? [] : ['route-talk-it-through'];
  return { keys: [...own.keys, ...contact, ...talk], urgency, steps, refer: referToMash && !input.socialWorker };
}

/** The adult route's words: who to call, the s42 test, and whether to raise it with or without their agreement. */
export function adultRouteKeys(answers: RouteAnswers): { keys: TriageMessageKey[]; steps: RouteStep[] } {
  const { share, steps } = adultOutcome(answers);
  const decision: TriageMessageKey = share === 'agreed' ? 'route-adult-agreed' : share === 'without-agreement' ? 'route-adult-share' : 'route-adult-respect';
  const leaver: TriageMessageKey[] = yes(answers, 'adult-care-leaver') ? ['route-care-leaver'] : [];
  return { keys: [decision, ...leaver], steps };
}
