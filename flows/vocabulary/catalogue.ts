/**
 * The exploitation indicator catalogue (issue 4). The ids are part of the contract (the result value,
 * the audit record and the referral carry them); their words live in the content pack. Weights are the
 * rule, not wording: they follow the partnership strategy's categories of risk (§4.2) and Appendix III.
 */

/**
 * Risk indicators marked significant: the strategy's category 4 examples, and the signs of coercion that
 * mark a child as exploited rather than at risk (moving drugs for others, threats, debt, coerced images).
 */
export const significantIndicators = [
  'gifts-money',
  'older-partner',
  'vehicles',
  'disengaged',
  'isolated',
  'missing-regular',
  'drug-running',
  'threats-violence',
  'debt-bondage',
  'nudes-coercion',
  'nudes-extreme',
] as const;

/** Every risk indicator, significant included. `missing-regular` is derived from `missing` and a count. */
export const riskIndicators = [
  'missing',
  'missing-regular',
  'school-absence',
  'gifts-money',
  'older-partner',
  'vehicles',
  'inappropriate-adults',
  'exploited-peers',
  'sexual-activity',
  'sexual-health',
  'sexualised-behaviour',
  'sexting',
  'nudes-coercion',
  'nudes-extreme',
  'online-contact',
  'substances',
  'behaviour-change',
  'self-harm',
  'disengaged',
  'isolated',
  'offending',
  'drug-running',
  'weapons',
  'threats-violence',
  'debt-bondage',
  'family-conflict',
  'returns-cared-for',
] as const;

/**
 * Any one of these is category 4 on its own (each is also a safety override with its own steps).
 * `missing-now` is asked by its own question (`screen-missing-now`), never offered with the others.
 */
export const criticalIndicators = ['disclosure', 'exchange', 'trafficked', 'adult-image-request', 'missing-now'] as const;

/** Context: reported with the result, never counted towards the category. */
export const vulnerabilityIndicators = [
  'looked-after',
  'care-leaver',
  'sen-disability',
  'mental-health',
  'prior-abuse',
  'domestic-abuse',
  'family-breakdown',
  'parental-vulnerability',
  'homeless',
  'gang-affected',
  'unaccompanied',
  'young-carer',
  'bullying',
  'no-trusted-adult',
] as const;

export type RiskIndicator = (typeof riskIndicators)[number];
export type CriticalIndicator = (typeof criticalIndicators)[number];
export type Vulnerability = (typeof vulnerabilityIndicators)[number];
export type IndicatorId = RiskIndicator | CriticalIndicator | Vulnerability;
export type IndicatorWeight = 'risk' | 'significant' | 'critical';

/** Every id the pack must give words for. */
export const allIndicatorIds: readonly IndicatorId[] = [...riskIndicators, ...criticalIndicators, ...vulnerabilityIndicators];

/**
 * Asked by the screening's own missing questions (`screen-missing`, `screen-missing-now`) or derived from
 * their count, so never offered by an indicator question; every other id is offered by exactly one.
 */
export const unofferedIndicators: readonly IndicatorId[] = ['missing', 'missing-regular', 'missing-now'];

const significant = new Set<string>(significantIndicators);
const risk = new Set<string>(riskIndicators);
const critical = new Set<string>(criticalIndicators);
const vulnerability = new Set<string>(vulnerabilityIndicators);

/** The weight of an indicator that counts towards the category; undefined for a vulnerability or unknown id. */
export function weightOf(id: string): IndicatorWeight | undefined {
  if (critical.has(id)) return 'critical';
  if (significant.has(id)) return 'significant';
  return risk.has(id) ? 'risk' : undefined;
}

export const isVulnerability = (id: string): boolean => vulnerability.has(id);
export const isCritical = (id: string): boolean => critical.has(id);
export const isKnownIndicator = (id: string): boolean => weightOf(id) !== undefined || isVulnerability(id);
