/**
 * The shared vocabulary of the order of evaluation (guidance rules §0): immediate danger → safety
 * overrides → who the concern is about → type of harm → how to share. Every route (screening, referral,
 * LADO, adult, missing, Prevent, FGM, child protection) speaks in these ids, so a result, a referral and
 * an audit record say the same thing. Ids are contracts: add, never rename.
 */

export type Urgency = 'routine' | 'same-day' | 'immediate';

const urgencyRank: Record<Urgency, number> = { routine: 0, 'same-day': 1, immediate: 2 };

/** The more urgent of two urgencies: nothing later in a flow may lower one already fixed. */
export function higherUrgency(a: Urgency, b: Urgency | undefined): Urgency {
  return b !== undefined && urgencyRank[b] > urgencyRank[a] ? b : a;
}

/** Who the concern is about (question `screen-about`). */
export const concernSubjects = ['child', 'young-adult', 'staff'] as const;
export type ConcernSubject = (typeof concernSubjects)[number];

/**
 * What the professional says the concern is (question `concern-kind`): chosen or confirmed by them,
 * never inferred from weak signs. Only `exploitation` runs the exploitation screening.
 */
export const concernKinds = [
  'exploitation',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'neglect',
  'domestic-abuse',
  'child-on-child',
  'radicalisation',
  'fgm',
  'forced-marriage',
  'missing',
  'other',
] as const;
export type ConcernKind = (typeof concernKinds)[number];

/**
 * The override facts (question `concern-overrides`, multichoice with `none`): each is also an indicator
 * id of the screening catalogue, so a screening that confirmed one has already answered it.
 */
export const overrideFacts = [
  'missing-now',
  'sexual-activity',
  'adult-image-request',
  'disclosure',
  'exchange',
  'trafficked',
  'drug-running',
  'weapons',
  'threats-violence',
  'debt-bondage',
  'older-partner',
  'sexting',
  'nudes-coercion',
  'nudes-extreme',
] as const;
export type OverrideFact = (typeof overrideFacts)[number];

/**
 * The actions a route can require, in the order they are shown. Their words (time-aware where they
 * name a phone line) are in the pack; the ids let tests, the referral and the audit record name them.
 */
export const routeSteps = [
  'call-999',
  'police-now',
  'police-101',
  'ceop',
  'never-view-images',
  'mash-now',
  'mash-today',
  'mash-referral',
  'strategy-discussion',
  'nrm',
  'modern-slavery-helpline',
  'lado',
  'child-route-too',
  'adult-helpdesk',
  'adult-views-capacity',
  'personal-adviser',
  'prevent',
  'fgm-police-report',
  'forced-marriage-unit',
  'missing-police-report',
  'return-home-interview',
  'social-worker',
  'placing-authority',
  'disclosure-response',
  'do-not-tell-parent',
  'dsl',
] as const;
export type RouteStep = (typeof routeSteps)[number];

/** One safety override that fired: the pack's rule id, what it fixes and why (words in the pack). */
export interface FiredOverride {
  id: string;
  category: 3 | 4;
  urgency: Urgency;
  steps: RouteStep[];
}

/** All overrides that fired for a set of facts: the highest category and urgency, and every step. */
export interface OverrideResult {
  fired: FiredOverride[];
  /** Undefined when none fired: the count (or the route) decides. */
  category?: 3 | 4;
  urgency?: Urgency;
  steps: RouteStep[];
}

/**
 * What the conversation's triage established before the referral (filled by the conversation from
 * `concern-overrides`, `concern-kind` and the route's questions). The referral body reads it so a
 * referral carries the professional's chosen kind, the fired overrides and the route's urgency whether
 * or not an exploitation screening ran.
 */
export interface TriageSummary {
  about: ConcernSubject;
  age?: number;
  kind: ConcernKind;
  /** The override facts (and strong indicators) the professional confirmed, as ids. */
  facts: string[];
  overrides: OverrideResult;
  urgency: Urgency;
  category?: number;
  steps: RouteStep[];
  /** Each answer that fired an override and was corrected (`back`); absent when none was (issue 17 item 2). */
  corrections?: OverrideCorrection[];
}

/**
 * An answer to the override facts (`concern-overrides`) that had fired a safety override and that the
 * professional corrected (`back`): the only answer that may lower an override (issue 17 item 2), so it is
 * re-evaluated, audited with the original answer and shown on the record. Ids only: no narrative, no names.
 */
export interface OverrideCorrection {
  questionId: string;
  /** The facts of the answer that was corrected, and the overrides they had fired. */
  originalFacts: string[];
  originalFired: string[];
  /** When the corrected answer had been given (ISO), when known. */
  originalAt?: string;
  /** The facts of the answer given instead, and what they fire. */
  facts: string[];
  fired: string[];
  category?: 3 | 4;
  urgency?: Urgency;
  /** When the correction was given (ISO), when known. */
  at?: string;
}
