import type { Logger } from 'pino';
import type { ContentPack } from '../../flows';
import { readInsights, type AuditLog } from '../../integrations';

/** Inclusive local dates, checked by the caller (`server/insights/query.ts` for the HTTP routes). */
export interface InsightsRange {
  from: string;
  to: string;
}

/**
 * Partnership insight (issue 11): the anonymised, suppressed report for a date range, read from the audit
 * log. The page, the CSV and the API (`server/insights/`) all ask this one report.
 */
export function createPartnershipInsights({ audit, pack, logger, now }: { audit: AuditLog; pack: ContentPack; logger: Logger; now?: () => Date }) {
  return {
    async report(range: InsightsRange) {
      const started = Date.now();
      const result = await readInsights(audit, { ...range, pack, now: now?.() });
      // Which range and how long: never who asked.
      logger.info({ from: range.from, to: range.to, ms: Date.now() - started }, 'insights read');
      return result;
    },
  };
}

export type PartnershipInsights = ReturnType<typeof createPartnershipInsights>;
