import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { MashClient } from '../mash/mashClient';
import type { MashFailure, PermanentFailure } from '../mash/mashOutcome';
import { deliverEntry, type DeliveredAnswer, type Delivery } from './deliverEntry';
import { budgetSpentReason, isProbeable, type Outbox, type OutboxEntry, type OutboxItem, type OutboxRecord } from './outbox';
import { defaultRetryPolicy, nextRetry, type RetryPolicy } from './retrySchedule';

/** An item whose payload could be read, as `onDelivered` receives it. */
export type DeliveredItem = OutboxItem & { entry: OutboxEntry };

/** What one attempt came to: delivered (with the MASH's answer, for MASH entries), or a failure to retry or park. */
export type JobOutcome = { kind: 'delivered'; settlement: Extract<Delivery, { kind: 'delivered' }>['settlement']; answer?: DeliveredAnswer } | MashFailure;

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  /** The MASH; required unless `deliver` says how entries are delivered. */
  client?: MashClient;
  /** How an entry is delivered, when it is not to the MASH (the service's follow-up jobs). */
  deliver?: (entry: OutboxEntry) => Promise<JobOutcome>;
  /**
   * Every this many ms, entries parked because the budget ran out on transient failures are put back
   * for one more try each (the MASH may be back); a success reaches `onDelivered` like any delivery.
   */
  probeParkedEveryMs?: number;
  /** Delay before retrying an attempt whose callback failed (the outcome could not be recorded). Default 5 s. */
  callbackRetryMs?: number;
  /** This worker's name in the consumer group; unique per process. */
  consumer?: string;
  /**
   * Called once the MASH has the entry, before the payload is purged (so `item.entry.context` still says
   * whom to tell). At-least-once: a crash right after it makes the next attempt a replay that calls it again.
   */
  onDelivered?: (item: DeliveredItem, answer: DeliveredAnswer) => Promise<void> | void;
  /**
   * Called when an entry is parked (refused, unreadable, or out of budget): a person must phone it
   * through. `code` is the client's, when it says why (`schema-version`: never sent, too new for this MASH).
   */
  onParked?: (item: OutboxItem, reason: string, code?: PermanentFailure['code']) => Promise<void> | void;
  /**
   * Called at the first 401/403 from the MASH after a success (or since start): our credentials are
   * refused, which no retry mends (a revoked `MASH_API_TOKEN`, or OAuth2 credentials refused after the
   * client's one refresh). The entry keeps retrying as before; this only makes a person look at once
   * instead of after the whole retry budget. Called again only after a delivery succeeded in between.
   */
  onCredentialsRefused?: (status: number) => Promise<void> | void;
  /** `MASH_RETRY_HOURS`: how long after enqueueing to keep trying. Default 24. */
  retryBudgetHours?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Entries tried at once per round (concurrently, so a slow one does not hold the others past their lease). */
  batchSize?: number;
  /** Pause between rounds that found nothing to do. */
  pollIntervalMs?: number;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
}

export interface RoundResult {
  delivered: number;
  retried: number;
  parked: number;
  failed: number;
}

type Attempt = keyof RoundResult;

/** Log fields for an entry: our opaque reference and counts, never anything from the payload. */
const logFieldsOf = (record: OutboxRecord) => ({ clientReference: record.clientReference, target: record.target, attempts: record.attempts + 1 });

/**
 * Delivers outbox entries to the MASH: tries each due entry with its clientReference as the
 * Idempotency-Key, retries with exponential backoff and full jitter (never before `Retry-After`),
 * and parks it when the MASH refuses it or the retry budget is spent.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions) {
  const { outbox, client, logger } = options;
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const now = options.now ?? Date.now;
  const policy: RetryPolicy = {
    budgetMs: (options.retryBudgetHours ?? defaultRetryPolicy.budgetMs / 3_600_000) * 3_600_000,
    baseDelayMs: options.baseDelayMs ?? defaultRetryPolicy.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? defaultRetryPolicy.maxDelayMs,
    random: options.random ?? Math.random,
  };
  const batchSize = options.batchSize ?? 10;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const callbackRetryMs = options.callbackRetryMs ?? 5000;
  const deliver =
    options.deliver ??
    ((entry: OutboxEntry): Promise<JobOutcome> => {
      if (!client) throw new Error('delivery worker: no MASH client and no deliver function');
      return deliverEntry(client, entry);
    });

  /**
   * A callback that fails (the store is down, so the referrer's notice or the coordinator's handoff could
   * not be queued) must not be forgotten: the entry is tried again shortly instead of being settled, and
   * the MASH answers that attempt as a replay of the same Idempotency-Key. True when the callback ran.
   */
  async function callRecorded(name: string, item: OutboxItem, callback: () => Promise<void> | void): Promise<boolean> {
    try {
      await callback();
      return true;
    } catch (err) {
      logger?.error({ err, ...logFieldsOf(item.record) }, `outbox ${name} callback failed; the entry is tried again`);
      await outbox.settle(item, { outcome: 'retry', nextAttemptAt: now() + callbackRetryMs, reason: `${name} callback failed` });
      return false;
    }
  }

  /** Once per episode of refused credentials: an error in the log and the `onCredentialsRefused` alert. */
  let credentialsAlerted = false;
  async function credentialsRefused(status: number, record: OutboxRecord): Promise<void> {
    if (credentialsAlerted || !options.onCredentialsRefused) return;
    credentialsAlerted = true;
    logger?.error(
      { ...logFieldsOf(record), status, code: 'SG-MASH-CREDENTIALS' },
      'the MASH refused our credentials: referrals keep retrying, but a person must fix MASH_API_TOKEN or the OAuth2 client',
    );
    try {
      await options.onCredentialsRefused(status);
    } catch (err) {
      credentialsAlerted = false; // raised again at the next refusal
      logger?.error({ err, code: 'SG-MASH-CREDENTIALS' }, 'alert for refused MASH credentials not raised');
    }
  }

  async function park(item: OutboxItem, reason: string, code?: PermanentFailure['code']): Promise<Attempt> {
    logger?.error({ ...logFieldsOf(item.record), reason }, 'outbox entry parked: a person must deliver it');
    if (!(await callRecorded('onParked', item, () => options.onParked?.(item, reason, code)))) return 'retried';
    await outbox.settle(item, { outcome: 'parked', reason });
    return 'parked';
  }

  async function attempt(item: OutboxItem): Promise<Attempt> {
    const { entry, record } = item;
    if (!entry) return park(item, 'the queued payload cannot be decrypted (SG-OUTBOX-CORRUPT)');
    const result = await deliver(entry);
    if (result.kind === 'delivered') {
      credentialsAlerted = false;
      logger?.info({ ...logFieldsOf(record), reference: result.settlement.reference }, 'outbox entry delivered');
      const answer = result.answer;
      if (answer && !(await callRecorded('onDelivered', item, () => options.onDelivered?.({ ...item, entry }, answer)))) return 'retried';
      await outbox.settle(item, result.settlement);
      return 'delivered';
    }
    if (result.kind === 'permanent') return park(item, result.reason, result.code);
    if (result.status === 401 || result.status === 403) await credentialsRefused(result.status, record);
    const decision = nextRetry(record.attempts + 1, record.enqueuedAt, now(), result.retryAfterMs, policy);
    if ('giveUp' in decision) return park(item, `${budgetSpentReason} (last: ${result.reason})`);
    logger?.warn({ ...logFieldsOf(record), reason: result.reason, retryInMs: decision.retryAt - now() }, 'outbox delivery failed; will retry');
    await outbox.settle(item, { outcome: 'retry', nextAttemptAt: decision.retryAt, reason: result.reason });
    return 'retried';
  }

  /** One round: claim what is due and try it all. An entry whose attempt throws stays leased and comes back later. */
  async function runOnce(): Promise<RoundResult> {
    const items = await outbox.claimDue(consumer, batchSize);
    const round: RoundResult = { delivered: 0, retried: 0, parked: 0, failed: 0 };
    const attempts = await Promise.allSettled(items.map(attempt));
    attempts.forEach((settled, i) => {
      if (settled.status === 'fulfilled') round[settled.value]++;
      else {
        round.failed++;
        logger?.warn({ err: settled.reason, ...logFieldsOf(items[i].record) }, 'outbox attempt could not be recorded; retried after its lease');
      }
    });
    return round;
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms).unref();
      // Woken by stop: the timer goes too, so a stopped worker leaves nothing behind.
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /**
   * Puts every probeable parked entry back for one more try (its budget is spent, so a failure parks it
   * again at once, without telling anyone twice). Returns how many were put back.
   */
  async function probeParked(): Promise<number> {
    let replayed = 0;
    for (const record of (await outbox.list('parked')).filter(isProbeable)) {
      if ((await outbox.replay(record.clientReference)).ok) replayed += 1;
    }
    if (replayed) logger?.info({ replayed }, 'parked entries tried again (the MASH may be back)');
    return replayed;
  }

  let probedAt = now();
  async function runLoop(): Promise<void> {
    while (running) {
      let worked = 0;
      if (options.probeParkedEveryMs !== undefined && now() - probedAt >= options.probeParkedEveryMs) {
        probedAt = now();
        await probeParked().catch((err: unknown) => logger?.warn({ err }, 'probing parked entries failed; trying again later'));
      }
      try {
        const round = await runOnce();
        worked = round.delivered + round.retried + round.parked + round.failed;
      } catch (err) {
        logger?.warn({ err }, 'outbox round failed (store unavailable?); trying again');
      }
      if (running && worked === 0) await pause(pollIntervalMs);
    }
  }

  return {
    consumer,
    runOnce,
    probeParked,
    /** Runs rounds until `stop`, pausing when there is nothing to do. */
    start(): void {
      if (loop) return;
      running = true;
      loop = runLoop();
    },
    /**
     * Stops after the round in progress, waiting for it at most `graceMs` (default: as long as it takes,
     * bounded by the client's timeout). Attempts still running then are abandoned, which is safe: their
     * leases lapse and the next worker retries them with the same Idempotency-Key.
     */
    async stop(graceMs?: number): Promise<void> {
      running = false;
      wake?.();
      const current = loop;
      loop = undefined;
      if (!current) return;
      if (graceMs === undefined) return current;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([current, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs).unref()))]);
      clearTimeout(grace);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
