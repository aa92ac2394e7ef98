import type { ContentPack } from '../content/packSchema';
import type { ScreeningSection } from '../content/screeningSchema';
import { DomainError } from '../errors';
import { higherUrgency, routeSteps, type FiredOverride, type OverrideResult, type RouteStep, type Urgency } from '../vocabulary/triage';

type Override = ScreeningSection['overrides'][number];
type AgeRange = NonNullable<Override['when']['age']>;

/**
 * An age-limited override never fires on an unknown age: the rule is about a child of that age, and the
 * screening always asks the age. Every other override fires whatever the age.
 */
function inRange(age: number | undefined, range: AgeRange | undefined): boolean {
  if (!range) return true;
  if (age === undefined) return false;
  return (range.from === undefined || age >= range.from) && (range.under === undefined || age < range.under);
}

function fires(override: Override, facts: ReadonlySet<string>, age: number | undefined): boolean {
  return inRange(age, override.when.age) && override.when.allOf.every((group) => group.some((id) => facts.has(id)));
}

/** Steps in the order of `routeSteps` (the order they are shown), each once. */
export function orderedSteps(steps: Iterable<RouteStep>): RouteStep[] {
  const wanted = new Set(steps);
  return routeSteps.filter((step) => wanted.has(step));
}

/**
 * The safety overrides (rules §6.2) that fire for these facts: each fixes at least its category and
 * urgency, the result carries the highest of each and every step of every override that fired. Pure and
 * deterministic: the same facts and age always give the same result, in pack order. The rows are about
 * children: from the pack's adult age (18) none fires, and the adult route decides.
 */
export function evaluateOverrides(input: { age?: number; facts: readonly string[] }, section: ScreeningSection): OverrideResult {
  if (input.age !== undefined && input.age >= section.adultFromAge) return { fired: [], steps: [] };
  const facts = new Set(input.facts);
  const fired: FiredOverride[] = section.overrides
    .filter((override) => fires(override, facts, input.age))
    .map(({ id, category, urgency, steps }) => ({ id, category, urgency, steps: orderedSteps(steps) }));
  if (fired.length === 0) return { fired, steps: [] };
  const category = fired.some((f) => f.category === 4) ? 4 : 3;
  const urgency = fired.reduce<Urgency>((highest, f) => higherUrgency(highest, f.urgency), 'routine');
  return { fired, category, urgency, steps: orderedSteps(fired.flatMap((f) => f.steps)) };
}

/** The reason words of each override that fired, in the order they fired. */
export function overrideReasons(result: OverrideResult, section: ScreeningSection): string[] {
  return result.fired.map((fired) => section.overrides.find((o) => o.id === fired.id)?.reason ?? fired.id);
}

/**
 * The pack's words for each step, in `routeSteps` order, each once. Phone lines are `{{call-now}}` /
 * `{{call:ID}}` tokens that the runtime fills at the moment the message is sent.
 */
export function stepsText(pack: ContentPack, steps: readonly RouteStep[]): string[] {
  const words = pack.screening?.steps;
  if (!words) throw new DomainError('SG-CONTENT-INVALID', `pack ${pack.id} has no screening steps`);
  return orderedSteps(steps).map((step) => words[step].text);
}
