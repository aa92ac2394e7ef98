/**
 * TEMPORARY stand-in for what the contract branch of issue #17 provides, so this branch compiles before
 * it lands: at merge time the lead deletes this file and imports `TriageSummary` from `./types`.
 */
import type { ConcernKind, ConcernSubject, OverrideResult, RouteStep, Urgency } from './types';

// until feat-contract merges: TriageSummary is appended to flows/triage/types.ts by the contract branch.
/** What the triage hands to the referral: who, the confirmed kind, the override facts and what they fixed. */
export interface TriageSummary {
  about: ConcernSubject;
  age?: number;
  kind: ConcernKind;
  facts: string[];
  overrides: OverrideResult;
  urgency: Urgency;
  category?: 3 | 4;
  steps: RouteStep[];
}
