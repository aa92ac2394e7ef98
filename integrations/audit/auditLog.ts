import type { ChainReport } from './auditChain';
import type { AuditEntry } from './auditEntry';

// The record itself has its own module so the chain and the codec can read it without the log (no import cycle).
export { auditActorSchema, auditEntrySchema, type AuditActor, type AuditEntry } from './auditEntry';

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
