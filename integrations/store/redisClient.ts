import { Redis } from 'ioredis';

/** Default for `REDIS_COMMAND_TIMEOUT_MS`: a turn answers within Teams' 15 s even after a retry. */
export const defaultRedisCommandTimeoutMs = 3000;

/**
 * One ioredis client per purpose. Commands fail fast while Redis is away (a turn then apologises and
 * /readyz says 503) instead of queueing without bound; the client keeps reconnecting in the background.
 * `commandTimeout` covers a Redis that is connected but frozen (SIGSTOP, a stalled disk, a failover
 * in progress): without it every command waited for as long as Redis was frozen (reliability F4).
 */
export function createRedisClient(url: string, keyPrefix?: string, commandTimeoutMs = defaultRedisCommandTimeoutMs, autoPipelining = true): Redis {
  return new Redis(url, {
    ...(keyPrefix ? { keyPrefix } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // Commands issued in the same tick (a turn's concurrent reads) leave in one write: one round trip.
    // Off while tracing: an auto-pipeline is sent in the context of whichever command queued first, so a
    // turn's commands could land in a background poller's batch and drop out of the turn's trace.
    enableAutoPipelining: autoPipelining,
  });
}
