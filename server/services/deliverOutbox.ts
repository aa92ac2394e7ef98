import type { Logger } from 'pino';
import { createDeliveryWorker, type MashClient, type Outbox } from '../../integrations';
import type { ReferralService } from './referrals';

export interface DeliverOutboxPorts {
  /** The MASH outbox: referrals, intelligence, answers to the MASH's questions. */
  outbox: Outbox;
  /** Follow-up jobs: notices to referrers, handoffs and acknowledgement checks. */
  followUps?: Outbox;
  referrals: Pick<ReferralService, 'onDelivered' | 'onParked' | 'runFollowUp'>;
  logger: Logger;
  /** MASH_RETRY_HOURS: then a referral is parked and a coordinator phones it through. */
  retryBudgetHours: number;
  /** NOTICE_RETRY_HOURS: how long a notice to a referrer is retried. */
  noticeRetryHours: number;
  /** MASH_PARKED_PROBE_MINUTES, in ms: how often a parked referral is tried again by itself. */
  probeParkedEveryMs: number;
  /** Raised at the first 401/403 from the MASH (a person must fix the credentials); referrals keep retrying. */
  onCredentialsRefused?: (status: number) => Promise<void> | void;
}

/**
 * Delivering the outboxes: the MASH outbox to the MASH client (claims, retries with the same key, parks
 * after the budget, probes parked ones), and the follow-up outbox to the referral notices. Started once
 * the service listens (the reference MASH is served by it), stopped first at shutdown.
 */
export function createDeliverOutbox(ports: DeliverOutboxPorts) {
  const { outbox, followUps, referrals, logger } = ports;
  let workers: Array<ReturnType<typeof createDeliveryWorker>> = [];

  return {
    /** Starts delivering; without a MASH client (none configured, or REFERRALS=phone), referrals stay queued. */
    start(client: MashClient | undefined): void {
      if (client) {
        workers.push(
          createDeliveryWorker({
            outbox,
            client,
            onDelivered: referrals.onDelivered,
            onParked: referrals.onParked,
            retryBudgetHours: ports.retryBudgetHours,
            logger,
            probeParkedEveryMs: ports.probeParkedEveryMs,
            onCredentialsRefused: ports.onCredentialsRefused,
          }),
        );
      }
      // Notices to referrers and coordinators' handoffs: tried until the channel (or the store) takes them.
      if (followUps) {
        workers.push(
          createDeliveryWorker({
            outbox: followUps,
            deliver: referrals.runFollowUp,
            retryBudgetHours: ports.noticeRetryHours,
            baseDelayMs: 2000,
            maxDelayMs: 5 * 60_000,
            logger,
            onParked: (item, reason) => logger.error({ job: item.record.clientReference, reason }, 'follow-up job given up: the update stays in "my referrals" only'),
          }),
        );
      }
      for (const worker of workers) worker.start();
    },
    async stop(): Promise<void> {
      const stopping = workers;
      workers = [];
      await Promise.all(stopping.map((worker) => worker.stop(3000)));
    },
  };
}

export type DeliverOutbox = ReturnType<typeof createDeliverOutbox>;
