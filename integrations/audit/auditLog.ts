import type { ChainReport } from './auditChain';
import { z } from 'zod';

/** Who made a decision: enough to find it again, no more (no message text, no child details). */
export const auditActorSchema = z.object({
  channelId: z.string(),
  userId: z.string(),
  userName: z.string().optional(),
  organisation: z.string().optional(),
});

/**
 * One decision on the record: a sharing decision, a screening, a referral, a handoff. `payload` holds
 * the machine-readable outcome and reasons the flow produced; `id` makes appends idempotent.
 */
export const auditEntrySchema = z.object({
  id: z.string().min(1),
  recordType: z.string().min(1),
  recordedAt: z.string(),
  actor: auditActorSchema,
  payload: z.record(z.string(), z.unknown()),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditActor = z.infer<typeof auditActorSchema>;

/** Append-only and idempotent: appending an id that is already there changes nothing. */
export interface AuditLog {
  readonly kind: 'embedded' | 'redis';
  append(entry: AuditEntry): Promise<{ appended: boolean }>;
  get(id: string): Promise<AuditEntry | undefined>;
  /** Entries in the order they were written (for exports and insights). */
  list(): Promise<AuditEntry[]>;
  /**
   * Entries recorded at or after `since`, streamed in written order without holding the whole log
   * (partnership insight reads a date range of a log that grows for years).
   */
  entriesSince(since: Date): AsyncIterable<AuditEntry>;
  /** Checks the hash chain from the first record to the last (`npm run audit:verify`). */
  verify(): Promise<ChainReport>;
  /**
   * Retention (RETENTION_AUDIT_YEARS): removes the oldest records written before `cutoff` and records
   * where the chain now starts, in one atomic step, so `verify` still proves the rest. Returns how many.
   */
  purgeRecordedBefore(cutoff: Date): Promise<number>;
  close(): Promise<void>;
}
