export interface RetryPolicy {
  /** How long after enqueueing we keep trying (`MASH_RETRY_HOURS`, default 24). */
  budgetMs: number;
  /** First backoff ceiling; doubles with every attempt. */
  baseDelayMs: number;
  /** Largest backoff ceiling, so a long outage is still probed regularly. */
  maxDelayMs: number;
  random: () => number;
}

export const defaultRetryPolicy: Omit<RetryPolicy, 'random'> = { budgetMs: 24 * 3600 * 1000, baseDelayMs: 2000, maxDelayMs: 15 * 60 * 1000 };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): a
 * uniformly random delay up to the doubled ceiling, so instances that failed together do not retry
 * together and knock a recovering MASH over again.
 */
export function fullJitterDelayMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

export type RetryDecision = { retryAt: number } | { giveUp: true };

/**
 * When to try again after attempt number `attempt` failed at `now`, or to give up. Never sooner than
 * the MASH's `Retry-After`; never later than the end of the budget, so the last try falls inside it;
 * a failure at or after the end of the budget gives up.
 */
export function nextRetry(attempt: number, enqueuedAt: number, now: number, retryAfterMs: number | undefined, policy: RetryPolicy): RetryDecision {
  const deadline = enqueuedAt + policy.budgetMs;
  if (now >= deadline) return { giveUp: true };
  const delay = Math.max(fullJitterDelayMs(attempt, policy), retryAfterMs ?? 0);
  return { retryAt: Math.min(now + delay, deadline) };
}
