import { z } from 'zod';
import { clientReferenceSchema } from '../../flows';

/** Where an entry goes at the MASH: `POST /referrals`, `POST /referrals/{id}/messages`, `POST /intelligence`. */
export const outboxTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('referral') }),
  z.object({ kind: z.literal('message'), referralId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('intelligence') }),
  /** Not for the MASH: a follow-up job of the service itself (a notice to a referrer, a handoff to open, a check due later). */
  z.object({ kind: z.literal('follow-up') }),
]);

/**
 * What a caller hands to the outbox. `clientReference` is the Idempotency-Key of every attempt and the
 * outbox's own key. `body` is the JSON body as the MASH contract has it. `context` is routing the
 * callbacks need (say, the conversation to tell); like `body`, it is encrypted and purged on delivery.
 */
export const outboxEntrySchema = z.object({
  clientReference: clientReferenceSchema,
  target: outboxTargetSchema,
  body: z.record(z.string(), z.unknown()),
  context: z.record(z.string(), z.unknown()).optional(),
  /** Epoch ms before which the entry is not tried (a check due hours later); default: at once. */
  notBefore: z.number().optional(),
});

export const outboxStatuses = ['pending', 'delivered', 'parked'] as const;

/**
 * What stays visible about an entry, in clear: status, counts, times (epoch ms) and the MASH's
 * reference. Never personal data: it outlives the payload, which is purged on delivery.
 */
export const outboxRecordSchema = z.object({
  clientReference: z.string(),
  target: z.enum(['referral', 'message', 'intelligence', 'follow-up']),
  status: z.enum(outboxStatuses),
  attempts: z.number().int().nonnegative(),
  enqueuedAt: z.number(),
  updatedAt: z.number(),
  nextAttemptAt: z.number().optional(),
  deliveredAt: z.number().optional(),
  parkedAt: z.number().optional(),
  /** The MASH's reference (referrals), or the id it gave a message or intelligence. */
  reference: z.string().optional(),
  referralId: z.string().optional(),
  /** Why the last attempt failed or the entry was parked: status codes and field paths only. */
  lastError: z.string().optional(),
});

export type OutboxTarget = z.infer<typeof outboxTargetSchema>;
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;
export type OutboxStatus = (typeof outboxStatuses)[number];
export type OutboxRecord = z.infer<typeof outboxRecordSchema>;

/**
 * An entry leased to one consumer for one delivery attempt. `entry` is undefined when the payload
 * cannot be decrypted (a key was removed): it can never be delivered and is parked for a person.
 */
export interface OutboxItem {
  record: OutboxRecord;
  entry: OutboxEntry | undefined;
  /** Identifies this lease to `settle` (a stream entry id, or a lease owner). */
  claim: string;
}

/** What one attempt came to, as the outbox records it. */
export type Settlement =
  { outcome: 'delivered'; reference?: string; referralId?: string } | { outcome: 'retry'; nextAttemptAt: number; reason: string } | { outcome: 'parked'; reason: string };

/**
 * Durable, encrypted, exactly-once hand-over to the MASH.
 *
 * `enqueue` is idempotent by clientReference, for as long as the record is kept (it is not deleted
 * on delivery): the same reference enqueued twice, even after delivery, changes nothing and returns
 * the record. So a turn can save its conversation state with the referral as a pending effect (id =
 * clientReference) and enqueue afterwards; a crash in between re-runs the enqueue, which is then
 * either the first or a no-op. With the MASH's Idempotency-Key replay, the referral is filed once.
 */
export interface Outbox {
  readonly kind: 'embedded' | 'redis';
  enqueue(entry: OutboxEntry): Promise<{ enqueued: boolean; record: OutboxRecord }>;
  get(clientReference: string): Promise<OutboxRecord | undefined>;
  /** Records, optionally of one status (e.g. parked, for coordinators), oldest first. */
  list(status?: OutboxStatus): Promise<OutboxRecord[]>;
  /**
   * Up to `limit` pending entries that are due, leased to `consumer`, including entries whose lease a
   * dead consumer left to lapse. A lease lasts `leaseMs` (an option of each implementation).
   */
  claimDue(consumer: string, limit: number): Promise<OutboxItem[]>;
  /** Records an attempt. Delivered purges the payload; a delivered record is never changed again. */
  settle(item: OutboxItem, settlement: Settlement): Promise<OutboxRecord | undefined>;
  /**
   * Erasure of an entry not yet delivered (`npm run erase -- --force`): its payload is purged and it is
   * parked with the reason `withdrawn`, so coordinators see that a referral was withdrawn, never that it
   * went. A delivered entry is left as it is (its payload is already gone). Undefined: no such entry.
   * A consumer delivering it at that moment may still succeed: delivered is the truth and wins.
   */
  withdraw(clientReference: string): Promise<OutboxRecord | undefined>;
  /**
   * Puts a parked entry that still has its payload back in the queue, due now (`npm run outbox:replay`,
   * once the cause is fixed: the MASH was down for longer than the retries, a credential was wrong).
   * Attempts so far are kept. Refused for anything not parked, and for a withdrawn entry (no payload).
   */
  replay(clientReference: string): Promise<ReplayResult>;
  /**
   * Pending records only, read from the pending index (the queue folder; the Redis stream and retry set),
   * never the delivered history: what the metrics read on every scrape.
   */
  pending(): Promise<OutboxRecord[]>;
  /**
   * Entries that could not be read (a torn or hand-edited file, a record that no longer matches its
   * schema): moved aside so they block nothing, logged and counted. Their keys (file names on the
   * embedded store, client references on Redis), oldest first.
   */
  quarantined(): Promise<string[]>;
  /** Removes delivered records delivered before `before` (epoch ms); Redis expires them itself. Returns how many. */
  purgeDelivered(before: number): Promise<number>;
  close(): Promise<void>;
}

/** Why an entry is parked when the retry budget ran out on failures that may pass (the MASH down): it is probed later. */
export const budgetSpentReason = 'no delivery within the retry budget';

/** A parked entry that is worth trying again by itself: out of budget on transient failures, payload kept. */
export function isProbeable(record: OutboxRecord): boolean {
  return record.status === 'parked' && (record.lastError ?? '').startsWith(budgetSpentReason);
}

/** What a caller of `claimDue` hears about an entry moved aside (ids only). */
export type QuarantineListener = (key: string, reason: string) => void;

export type ReplayResult = { ok: true; record: OutboxRecord } | { ok: false; reason: 'not-found' | 'not-parked' | 'no-payload' };

/** The record of a parked entry put back in the queue (see `Outbox.replay`). */
export function replayedRecord(record: OutboxRecord, now: number): OutboxRecord {
  return { ...record, status: 'pending', updatedAt: now, nextAttemptAt: now, parkedAt: undefined, lastError: undefined };
}

/** Why a withdrawn entry is parked (what coordinators and "my referrals" see). */
export const withdrawnReason = 'withdrawn: payload erased on request before delivery';

/** The record of an entry withdrawn before delivery (see `Outbox.withdraw`). */
export function withdrawnRecord(record: OutboxRecord, now: number): OutboxRecord {
  return { ...record, status: 'parked', updatedAt: now, parkedAt: now, nextAttemptAt: undefined, lastError: withdrawnReason };
}

/** The record after `settlement`; used by both implementations so that they agree. */
export function settledRecord(record: OutboxRecord, settlement: Settlement, now: number): OutboxRecord {
  const base = { ...record, attempts: record.attempts + 1, updatedAt: now, nextAttemptAt: undefined, lastError: undefined };
  switch (settlement.outcome) {
    case 'delivered':
      return { ...base, status: 'delivered', deliveredAt: now, reference: settlement.reference, referralId: settlement.referralId };
    case 'retry':
      return { ...base, status: 'pending', nextAttemptAt: settlement.nextAttemptAt, lastError: settlement.reason };
    case 'parked':
      return { ...base, status: 'parked', parkedAt: now, lastError: settlement.reason };
  }
}

/** A fresh record for a new entry: due at once, or at `notBefore` (its retry budget then runs from there). */
export function newRecord(entry: OutboxEntry, now: number): OutboxRecord {
  const due = Math.max(now, entry.notBefore ?? now);
  return { clientReference: entry.clientReference, target: entry.target.kind, status: 'pending', attempts: 0, enqueuedAt: due, updatedAt: now, nextAttemptAt: due };
}
