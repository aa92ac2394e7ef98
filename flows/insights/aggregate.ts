import type { ContentPack } from '../content/packSchema';
import { activityTables, type Activity, type ActivityKind } from './activityTables';
import { sharingTables, screeningTables } from './decisionTables';
import { localDateOf, organisationTypeOf } from './dimensions';
import { handoffTables, referralTables, type HandoffStory, type ReferralStory } from './referralTables';
import { suppressTable, suppressionRule, suppressionThreshold } from './suppression';
import { text } from './tally';
import type { AuditFact, InsightsReport, RawTable } from './types';

export interface AggregateOptions {
  /** Inclusive local dates (Europe/London), YYYY-MM-DD. */
  from: string;
  to: string;
  /** Now, for "not acknowledged yet" against "late". */
  now: string;
  pack: ContentPack;
}

const kindOf: Record<string, ActivityKind> = { 'sharing-decision': 'sharing', screening: 'screening', referral: 'referral', handoff: 'handoff' };

/** The records the tables are built from: in-range decisions, plus later events joined to in-range referrals and handoffs. */
interface Sorted {
  byKind: Record<ActivityKind, AuditFact[]>;
  referralEvents: Map<string, AuditFact[]>;
  claims: Map<string, string>;
}

function sortFacts(facts: Iterable<AuditFact>, from: string, to: string): Sorted {
  const byKind: Record<ActivityKind, AuditFact[]> = { sharing: [], screening: [], referral: [], handoff: [] };
  const referralEvents = new Map<string, AuditFact[]>();
  const claims = new Map<string, string>();
  for (const fact of facts) {
    const kind = kindOf[fact.recordType];
    const date = kind ? localDateOf(fact.recordedAt) : '';
    if (kind && date >= from && date <= to) byKind[kind].push(fact);
    const ref = text(fact, 'clientReference');
    if (fact.recordType === 'referral-event' && ref) referralEvents.set(ref, [...(referralEvents.get(ref) ?? []), fact]);
    const handoffId = text(fact, 'handoffId');
    if (fact.recordType === 'handoff-claimed' && handoffId && !claims.has(handoffId)) claims.set(handoffId, fact.recordedAt);
  }
  return { byKind, referralEvents, claims };
}

/** The organisation type a record counts under: recorded on it, else from the referral it belongs to, else the actor's organisation. */
function organisationTypes(sorted: Sorted, pack: ContentPack): (fact: AuditFact) => string {
  const ofReferral = new Map<string, string>();
  const own = (fact: AuditFact) => text(fact, 'organisationType') ?? organisationTypeOf(fact.actor.organisation, pack.insights);
  for (const referral of sorted.byKind.referral) ofReferral.set(text(referral, 'clientReference') ?? referral.id, own(referral));
  return (fact) => text(fact, 'organisationType') ?? ofReferral.get(text(fact, 'clientReference') ?? '') ?? own(fact);
}

/** The tables before suppression (never published as they are; tests compare them with their own counts). */
export function insightTables(facts: Iterable<AuditFact>, options: AggregateOptions): RawTable[] {
  const { from, to, now, pack } = options;
  const sorted = sortFacts(facts, from, to);
  const organisationType = organisationTypes(sorted, pack);
  const activities: Activity[] = Object.entries(sorted.byKind).flatMap(([kind, list]) =>
    list.map((fact) => ({ kind: kind as ActivityKind, localDate: localDateOf(fact.recordedAt), channel: fact.actor.channelId, organisationType: organisationType(fact) })),
  );
  const referrals: ReferralStory[] = sorted.byKind.referral.map((referral) => ({
    referral,
    events: sorted.referralEvents.get(text(referral, 'clientReference') ?? referral.id) ?? [],
  }));
  const handoffs: HandoffStory[] = sorted.byKind.handoff.map((handoff) => {
    const claimedAt = sorted.claims.get(text(handoff, 'handoffId') ?? handoff.id);
    return { handoff, ...(claimedAt ? { claimedAt } : {}) };
  });
  return [
    ...activityTables(activities, from, to),
    ...sharingTables(sorted.byKind.sharing),
    ...screeningTables(sorted.byKind.screening, pack),
    ...referralTables(referrals, pack.bankHolidays, now),
    ...handoffTables(handoffs),
  ];
}

/**
 * The partnership's anonymised picture of a date range (issue 11): counts only, every table suppressed.
 * Pure: the caller streams the audit records in; nothing here reads message text or identifiers out.
 */
export function aggregateInsights(facts: Iterable<AuditFact>, options: AggregateOptions): InsightsReport {
  const tables = insightTables(facts, options).map(suppressTable);
  return { from: options.from, to: options.to, generatedAt: options.now, suppression: { threshold: suppressionThreshold, rule: suppressionRule }, tables };
}
