import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../../integrations';
import type { Logger } from '../logger';

/** The moment before which audit records are past retention: the same date `years` whole years back. */
export function auditCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * Purges audit records older than RETENTION_AUDIT_YEARS, then records on the log itself that it did
 * (how many, and the cutoff), so the purge is part of the tamper-evident history it shortens. Safe on
 * several instances at once: each purge step is atomic, a second finds nothing more to take.
 */
export async function purgeExpiredAudit(audit: AuditLog, years: number, logger: Logger, now = new Date()): Promise<number> {
  const cutoff = auditCutoff(now, years);
  const purged = await audit.purgeRecordedBefore(cutoff);
  if (purged > 0) {
    await audit.append({
      id: `audit-retention-${randomUUID()}`,
      recordType: 'audit-retention',
      recordedAt: now.toISOString(),
      actor: { channelId: 'system', userId: 'retention' },
      payload: { purged, recordedBefore: cutoff.toISOString(), retentionYears: years },
    });
    logger.info({ purged, recordedBefore: cutoff.toISOString() }, 'audit records past retention purged');
  }
  return purged;
}
