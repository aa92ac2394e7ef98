import { DomainError } from '../errors';
import type { ScreeningSection } from '../content/screeningSchema';
import type { OverrideResult, Urgency } from '../vocabulary/triage';
import { isVulnerability, weightOf, type IndicatorWeight } from '../vocabulary/catalogue';

export type Category = 0 | 1 | 2 | 3 | 4;
export type Pathway = 'universal' | 'early-help' | 'mash-referral' | 'emergency' | 'adult-safeguarding' | 'lado';
export type { Urgency } from '../vocabulary/triage';

/** C, S and T of the rule: critical present, significant present, all risk indicators (significant included). */
export interface Counts {
  total: number;
  significant: number;
  critical: number;
}

/** Why the count gave its category: the count that met a threshold, or none. */
export type Basis = { kind: 'none' } | { kind: 'threshold'; measure: keyof Counts; count: number };

export interface Categorisation {
  category: Category;
  /** What the count alone gave. */
  basis: Basis;
  /** The safety overrides that fired (ids, pack order): the category is at least theirs. */
  overrides: string[];
}

export type Rules = Pick<ScreeningSection, 'thresholds' | 'missingRegular' | 'adultFromAge'>;

const levels = [4, 3, 2, 1] as const;
const measures = ['critical', 'significant', 'total'] as const;

/**
 * `missing` with enough recent episodes counts as the significant `missing-regular` instead: the strategy
 * puts "regular periods of going missing" among the category 4 indicators.
 */
export function resolveMissing(indicators: readonly string[], episodes: number | undefined, rules: Rules): string[] {
  const regular = episodes !== undefined && episodes >= rules.missingRegular.episodes;
  if (!regular || !indicators.includes('missing')) return [...indicators];
  return indicators.map((id) => (id === 'missing' ? 'missing-regular' : id)).filter((id, i, all) => all.indexOf(id) === i);
}

export function countIndicators(indicators: readonly string[]): Counts {
  const weights = [...new Set(indicators)].map(weightOf).filter((w): w is IndicatorWeight => w !== undefined);
  return {
    total: weights.filter((w) => w !== 'critical').length,
    significant: weights.filter((w) => w === 'significant').length,
    critical: weights.filter((w) => w === 'critical').length,
  };
}

/** The highest category any of whose thresholds the counts meet (C≥1 or S≥3 → 4; S≥2 or T≥5 → 3; …). */
function byThreshold(counts: Counts, rules: Rules): { category: Category; basis: Basis } {
  for (const level of levels) {
    const threshold = rules.thresholds[level];
    const measure = measures.find((m) => threshold[m] !== undefined && counts[m] >= threshold[m]);
    if (measure) return { category: level, basis: { kind: 'threshold', measure, count: counts[measure] } };
  }
  return { category: 0, basis: { kind: 'none' } };
}

/**
 * The category of risk: the safety overrides first (rules §6.2), then the count. The result is the higher
 * of the two, so counting can add to an override but never take from it.
 */
export function categorise(counts: Counts, overrides: OverrideResult, rules: Rules): Categorisation {
  const found = byThreshold(counts, rules);
  const fixed = overrides.category ?? 0;
  return { category: Math.max(fixed, found.category) as Category, basis: found.basis, overrides: overrides.fired.map((f) => f.id) };
}

/**
 * A professional may raise the category (never lower it) and must say why. Asking to lower, or to raise
 * without a reason, is a programming error: the flow never offers it.
 */
export function raiseCategory(from: Category, to: number, reason: string): Category {
  if (!Number.isInteger(to) || to <= from || to > 4) {
    throw new DomainError('SG-INTERNAL', `a category can only be raised (from ${from} to ${to})`);
  }
  if (reason.trim().length === 0) throw new DomainError('SG-INTERNAL', 'raising a category needs a reason');
  return to as Category;
}

export const isAdult = (age: number | undefined, rules: Rules): boolean => age !== undefined && age >= rules.adultFromAge;

const urgencyByCategory: Record<Category, Urgency> = { 0: 'routine', 1: 'routine', 2: 'routine', 3: 'same-day', 4: 'immediate' };

/**
 * Where the concern goes. 0 → universal (early help if the child is vulnerable), 1 → early help, 2–4 →
 * the MASH with rising urgency. From 18 the same reasoning leads to adult safeguarding instead.
 */
export function pathwayFor(category: Category, adult: boolean, vulnerabilities: readonly string[]): { pathway: Pathway; urgency: Urgency } {
  const urgency = urgencyByCategory[category];
  if (category === 0) {
    const vulnerable = !adult && vulnerabilities.some(isVulnerability);
    return { pathway: vulnerable ? 'early-help' : 'universal', urgency };
  }
  if (adult) return { pathway: 'adult-safeguarding', urgency };
  return { pathway: category === 1 ? 'early-help' : 'mash-referral', urgency };
}
