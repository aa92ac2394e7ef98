import type { ScreeningSection } from '../content/screeningSchema';
import { higherUrgency, type OverrideResult } from '../vocabulary/triage';
import { allIndicatorIds, isVulnerability, weightOf, type IndicatorWeight } from '../vocabulary/catalogue';
import { categorise, countIndicators, isAdult, pathwayFor, raiseCategory, resolveMissing, type Basis, type Category, type Counts, type Pathway, type Urgency } from './categorise';
import { evaluateOverrides, overrideReasons } from './overrides';

/** What the professional confirmed; never the narrative itself. */
export interface ScreeningFacts {
  age?: number;
  /** Confirmed indicator ids of any kind (risk, critical, vulnerabilities). */
  confirmed: readonly string[];
  missingEpisodes?: number;
}

export interface WeightedIndicator {
  id: string;
  label: string;
  weight: IndicatorWeight;
}

/** The explainable result of the rule (and of a professional's raise, when there is one). */
export interface ScreeningOutcome {
  category: Category;
  label: string;
  pathway: Pathway;
  urgency: Urgency;
  indicators: WeightedIndicator[];
  vulnerabilities: string[];
  counts: Counts;
  rationale: string;
  raised?: { from: Category; reason: string };
  /** The safety overrides that fired: the category and urgency are never below theirs, and their steps are shown. */
  overrides: OverrideResult;
}

const numberWords = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const measureWords: Record<keyof Counts, string> = { critical: 'critical', significant: 'significant', total: 'risk' };
const weightOrder: IndicatorWeight[] = ['critical', 'significant', 'risk'];

const countWord = (n: number): string => numberWords[n] ?? String(n);

/** "Older partner" reads "older partner" mid-sentence; "STIs" keeps its capitals. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

export function joinList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function categoryHeading(category: Category, section: ScreeningSection): string {
  return `Category ${category} (${section.labels[category]})`;
}

function basisReason(basis: Basis, indicators: WeightedIndicator[]): string {
  if (basis.kind === 'none') return 'none of the risk indicators was confirmed';
  const names = (weights: IndicatorWeight[]) => joinList(indicators.filter((i) => weights.includes(i.weight)).map((i) => inSentence(i.label)));
  const plural = (n: number) => (n === 1 ? 'indicator' : 'indicators');
  const weights: IndicatorWeight[] = basis.measure === 'total' ? ['significant', 'risk'] : [basis.measure];
  return `${countWord(basis.count)} ${measureWords[basis.measure]} ${plural(basis.count)}, ${names(weights)}`;
}

/**
 * Why the category, naming what decided it: a safety override leads (its reason in the pack's words),
 * then what the count found, so the professional sees both the rule that fired and the indicators.
 */
function decidedBy(basis: Basis, indicators: WeightedIndicator[], overrides: OverrideResult, section: ScreeningSection): string {
  const counted = basisReason(basis, indicators);
  if (overrides.fired.length === 0) return `${counted}.`;
  const rules = overrides.fired.length === 1 ? 'a safety rule applies' : 'safety rules apply';
  return `${rules}. ${overrideReasons(overrides, section).join(' ')} The indicators found: ${counted}.`;
}

/** One or two sentences that name the indicators behind the category (the rule is explainable, not a score). */
function rationaleOf(category: Category, decided: string, vulnerabilities: string[], section: ScreeningSection): string {
  const first = `${categoryHeading(category, section)}: ${decided}`;
  if (vulnerabilities.length === 0) return first;
  const names = joinList(vulnerabilities.map((id) => inSentence(section.indicators[id]?.label ?? id)));
  return `${first} Vulnerabilities noted (they do not change the category): ${names}.`;
}

/** Heaviest first, then catalogue order: the same answers read the same whatever order they came in. */
function byWeightThenCatalogue(a: WeightedIndicator, b: WeightedIndicator): number {
  const catalogueOrder = (id: string) => allIndicatorIds.indexOf(id as never);
  return weightOrder.indexOf(a.weight) - weightOrder.indexOf(b.weight) || catalogueOrder(a.id) - catalogueOrder(b.id);
}

function weighted(ids: readonly string[], section: ScreeningSection): WeightedIndicator[] {
  return ids
    .map((id) => ({ id, label: section.indicators[id]?.label ?? id, weight: weightOf(id) }))
    .filter((i): i is WeightedIndicator => i.weight !== undefined)
    .sort(byWeightThenCatalogue);
}

/** Applies the pack's rule to what the professional confirmed. Pure: same facts, same outcome. */
export function screen(facts: ScreeningFacts, section: ScreeningSection): ScreeningOutcome {
  const unique = [...new Set(facts.confirmed)];
  const indicators = weighted(
    resolveMissing(
      unique.filter((id) => weightOf(id)),
      facts.missingEpisodes,
      section,
    ),
    section,
  );
  const vulnerabilities = allIndicatorIds.filter((id) => isVulnerability(id) && unique.includes(id));
  // Overrides first (rules §0): on everything confirmed, `missing` and `missing-regular` alike.
  const overrides = evaluateOverrides({ age: facts.age, facts: [...unique, ...indicators.map((i) => i.id)] }, section);
  const counts = countIndicators(indicators.map((i) => i.id));
  const { category, basis } = categorise(counts, overrides, section);
  const byCategory = pathwayFor(category, isAdult(facts.age, section), vulnerabilities);
  const urgency = higherUrgency(byCategory.urgency, overrides.urgency);
  const rationale = rationaleOf(category, decidedBy(basis, indicators, overrides, section), vulnerabilities, section);
  return { category, label: section.labels[category], pathway: byCategory.pathway, urgency, indicators, vulnerabilities, counts, rationale, overrides };
}

/**
 * The rule's outcome raised one category above `current` on the professional's judgement. `raised.from`
 * is the rule's own category even after repeated raises, so the audit record always shows how far
 * judgement moved from the rule; the rationale keeps the rule's reasons.
 */
export function raise(rule: ScreeningOutcome, current: Category, reason: string, adult: boolean, section: ScreeningSection): ScreeningOutcome {
  const category = raiseCategory(current, current + 1, reason);
  const byCategory = pathwayFor(category, adult, rule.vulnerabilities);
  // A raise can only add urgency: never below the rule's own (an override's included).
  const urgency = higherUrgency(byCategory.urgency, rule.urgency);
  const pathway = byCategory.pathway;
  const ruleReason = rule.rationale.replace(/^[^:]*:\s*/, '');
  const rationale = `${categoryHeading(category, section)}: raised from category ${rule.category} on professional judgement (reason recorded). The rule found ${ruleReason}`;
  return { ...rule, category, label: section.labels[category], pathway, urgency, rationale, raised: { from: rule.category, reason: reason.trim() } };
}

/** What a finished screening hands on to the referral, so nothing already answered is asked again. */
export interface ScreeningSummary {
  screeningId: string;
  category: Category;
  pathway: Pathway;
  urgency: Urgency;
  indicators: string[];
  vulnerabilities: string[];
  /** Why the category, in words (no narrative): the referral sends it to the MASH with the category. */
  rationale: string;
  age?: number;
  lookedAfterElsewhere: boolean;
  /**
   * The safety overrides that fired, with their steps: the referral and any later route keep at least
   * their category and urgency. Optional only so summaries built before it existed still type-check.
   */
  overrides?: OverrideResult;
  /** The professional's own words, for the referral to offer back; never put in a result or an audit record. */
  narrative?: string;
}
