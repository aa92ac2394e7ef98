/**
 * The pure part of the routes (guidance rules §0, §7): from the answers of one route to its urgency and
 * steps, and the one way an override combines with a route. No words here: the machine turns steps and
 * route outcomes into the pack's texts.
 */
import type { RoutesSection } from '../content/routesSchema';
import { higherUrgency, routeSteps, type ConcernKind, type OverrideResult, type RouteStep, type Urgency } from '../vocabulary/triage';

/** The yes/no (or choice) answers of a route, by question id. */
export type RouteAnswers = Readonly<Record<string, string>>;

const yes = (answers: RouteAnswers, question: string) => answers[question] === 'yes';

/** Kinds that take the short child-protection route (injury? disclosure? carer? immediate risk? recent offence?). */
export const childProtectionKinds: readonly ConcernKind[] = [
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'neglect',
  'domestic-abuse',
  'child-on-child',
  'forced-marriage',
  'other',
];

export const isChildProtectionKind = (kind: ConcernKind | undefined): boolean => kind !== undefined && childProtectionKinds.includes(kind);

/** The child-protection urgency by the pack's rule: never lower than routine, never "category 0". */
export function childProtectionUrgency(answers: RouteAnswers, rule: RoutesSection['childProtection']): Urgency {
  if (rule.immediateIf.some((q) => yes(answers, q))) return 'immediate';
  return rule.sameDayIf.some((q) => yes(answers, q)) ? 'same-day' : 'routine';
}

/** The MASH step for an urgency: phone now, today, or the written referral. */
export function mashStep(urgency: Urgency): RouteStep {
  return urgency === 'immediate' ? 'mash-now' : urgency === 'same-day' ? 'mash-today' : 'mash-referral';
}

/** The steps of the child-protection route: police first after a recent offence (M9), the parent not first (R2.5). */
export function childProtectionSteps(answers: RouteAnswers, urgency: Urgency): RouteStep[] {
  return [
    ...(yes(answers, 'cp-recent-offence') ? (['police-now'] as const) : []),
    ...(yes(answers, 'cp-carer') ? (['do-not-tell-parent'] as const) : []),
    ...(yes(answers, 'cp-disclosure') ? (['disclosure-response'] as const) : []),
    mashStep(urgency),
    'dsl',
  ];
}

/** Prevent: the DSL and the national form; 999 when imminent; the MASH too where there are other needs. */
export function preventOutcome(answers: RouteAnswers): { urgency: Urgency; steps: RouteStep[]; refer: boolean } {
  const imminent = yes(answers, 'prevent-imminent');
  const refer = yes(answers, 'prevent-other-needs');
  const urgency: Urgency = imminent ? 'immediate' : refer ? 'same-day' : 'routine';
  return { urgency, steps: [...(imminent ? (['call-999'] as const) : []), 'dsl', 'prevent', ...(refer ? [mashStep(urgency)] : [])], refer };
}

/** FGM: known FGM is a police report (the regulated professional's own legal duty) and the MASH; at risk, the MASH and police. */
export function fgmOutcome(answers: RouteAnswers): { urgency: Urgency; steps: RouteStep[] } {
  if (answers['fgm-status'] === 'known') return { urgency: 'same-day', steps: ['fgm-police-report', 'mash-today', 'dsl'] };
  return { urgency: 'same-day', steps: ['police-101', 'mash-today', 'dsl'] };
}

/** Missing: report to the police now (999 at high risk), then on return the safe-and-well check and the interview. */
export function missingOutcome(missingNow: boolean, answers: RouteAnswers): { urgency: Urgency; steps: RouteStep[] } {
  const highRisk = missingNow && yes(answers, 'missing-high-risk');
  const now: RouteStep[] = missingNow ? [highRisk ? 'call-999' : 'missing-police-report'] : [];
  const elsewhere: RouteStep[] = yes(answers, 'screen-looked-after-elsewhere') ? ['placing-authority'] : [];
  const urgency: Urgency = missingNow ? 'immediate' : 'same-day';
  return { urgency, steps: [...now, 'return-home-interview', 'social-worker', ...elsewhere, mashStep(urgency)] };
}

/** Adults 18–25 (rules R2.9): share without agreement only on the exceptions; never a children's referral. */
export function adultOutcome(answers: RouteAnswers): { share: 'agreed' | 'without-agreement' | 'respect-refusal'; steps: RouteStep[] } {
  const exception = yes(answers, 'adult-others-at-risk') || answers['adult-capacity'] === 'no';
  const share = exception ? 'without-agreement' : yes(answers, 'adult-agrees') ? 'agreed' : 'respect-refusal';
  const leaver: RouteStep[] = yes(answers, 'adult-care-leaver') ? ['personal-adviser'] : [];
  return { share, steps: ['adult-helpdesk', 'adult-views-capacity', ...leaver] };
}

const stepOrder = (step: RouteStep) => routeSteps.indexOf(step);

/**
 * An override and a route together: the higher urgency, every step once, in the order steps are shown
 * (999 and police first). An allocated social worker takes the place of the MASH steps (the Front Door
 * takes new concerns), never the police's.
 */
export function combine(overrides: OverrideResult, route: { urgency: Urgency; steps: readonly RouteStep[] }, socialWorker = false): { urgency: Urgency; steps: RouteStep[] } {
  const mash = new Set<RouteStep>(['mash-now', 'mash-today', 'mash-referral']);
  const all = [...new Set([...overrides.steps, ...route.steps])].flatMap((step): RouteStep[] => (socialWorker && mash.has(step) ? ['social-worker'] : [step]));
  return { urgency: higherUrgency(route.urgency, overrides.urgency), steps: [...new Set(all)].sort((a, b) => stepOrder(a) - stepOrder(b)) };
}
