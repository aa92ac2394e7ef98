import { insights, type ContentPack } from '../../flows';
import type { AuditEntry, AuditLog } from '../audit/auditLog';

type AuditFact = insights.AuditFact;

/**
 * The part of an entry the aggregates may see: the record type, when, the channel, the organisation
 * (mapped to a type inside the aggregation, never passed on) and the payload's outcome fields. The
 * professional's id and name are dropped here, before anything else touches the entry.
 */
export function factOf(entry: AuditEntry): AuditFact {
  return {
    id: entry.id,
    recordType: entry.recordType,
    recordedAt: entry.recordedAt,
    actor: { channelId: entry.actor.channelId, ...(entry.actor.organisation ? { organisation: entry.actor.organisation } : {}) },
    payload: entry.payload,
  };
}

/** Local midnight can be up to an hour before UTC midnight (BST): start reading a day early, the aggregation filters by local date. */
const sinceOf = (from: string) => new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000);

/** Streams the audit log from the start of the range and aggregates it (later events of in-range referrals included). */
export async function readInsights(audit: AuditLog, options: { from: string; to: string; pack: ContentPack; now?: Date }): Promise<insights.InsightsReport> {
  const facts: AuditFact[] = [];
  for await (const entry of audit.entriesSince(sinceOf(options.from))) facts.push(factOf(entry));
  return insights.aggregateInsights(facts, { from: options.from, to: options.to, pack: options.pack, now: (options.now ?? new Date()).toISOString() });
}
