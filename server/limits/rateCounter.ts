import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRateLimiter, type RateLimiter } from './rateLimiter';
import type { Logger } from '../logger';

export type Taken = { ok: true } | { ok: false; retryAfterMs: number };

/** One allowance: `limit` hits per `windowMs` for each key, counted under the rule's name. */
export interface RateRuleLimit {
  name: string;
  limit: number;
  windowMs: number;
}

/** Counts hits against limits: in this process, or shared by every instance through Redis. */
export interface RateCounter {
  readonly kind: 'memory' | 'redis';
  take(rule: RateRuleLimit, key: string): Promise<Taken>;
}

/** Per instance: the Direct Line's sliding window, one per rule. Behind N instances a client gets N times the limit. */
export function memoryRateCounter(now: () => number = Date.now): RateCounter {
  const limiters = new Map<string, RateLimiter>();
  return {
    kind: 'memory',
    async take(rule, key) {
      const id = `${rule.name}\n${rule.limit}\n${rule.windowMs}`;
      let take = limiters.get(id);
      if (!take) limiters.set(id, (take = createRateLimiter({ limit: rule.limit, windowMs: rule.windowMs, now })));
      return take(key);
    },
  };
}

/** INCR the window's counter; the first hit sets its expiry. Returns the count and the window's time left. */
const countScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { n, redis.call('PTTL', KEYS[1]) }
`;

type CountingRedis = Redis & { sgRateCount(key: string, windowMs: string): Promise<[number, number]> };

export interface RedisRateCounterOptions {
  redis: Redis;
  /**
   * Keys the HMAC that names counters: an IP address is personal data, and a plain hash of one is
   * reversed by trying all 2^32. The same on every instance (derived from the shared state key).
   */
  hmacKey: Buffer;
  logger: Logger;
  now?: () => number;
  keyPrefix?: string;
}

/**
 * Shared by every instance on one Redis: a fixed window per rule and key (INCR, and PEXPIRE on the
 * first hit, in one script), so N instances together allow the limit, not N times it. A fixed window
 * lets a client put up to twice the limit across a window boundary: still bounded, and one round trip.
 * If Redis fails, the hit is counted in this process instead (fail open to the per-instance limit, never
 * refuse service to a professional because the counter is away); the first failure of an outage is logged.
 */
export function redisRateCounter(options: RedisRateCounterOptions): RateCounter {
  const redis = options.redis as CountingRedis;
  if (typeof redis.sgRateCount !== 'function') redis.defineCommand('sgRateCount', { numberOfKeys: 1, lua: countScript });
  const now = options.now ?? Date.now;
  const prefix = `${options.keyPrefix ?? 'sg:'}rate:`;
  const fallback = memoryRateCounter(now);
  let warned = false;
  const nameOf = (key: string) => createHmac('sha256', options.hmacKey).update(key, 'utf8').digest('hex').slice(0, 32);
  return {
    kind: 'redis',
    async take(rule, key) {
      const window = Math.floor(now() / rule.windowMs);
      try {
        const [count, ttl] = await redis.sgRateCount(`${prefix}${rule.name}:${nameOf(key)}:${window}`, String(rule.windowMs));
        warned = false; // back: the next outage is logged again
        if (count <= rule.limit) return { ok: true };
        return { ok: false, retryAfterMs: ttl > 0 ? ttl : rule.windowMs - (now() % rule.windowMs) };
      } catch (error) {
        if (!warned) options.logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'rate limits: Redis unavailable, counting per instance until it is back');
        warned = true;
        return fallback.take(rule, key);
      }
    },
  };
}

/** INCRBY the window's counter by a batch of hits; the batch that creates it sets its expiry. */
const countByScript = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

type BatchCountingRedis = Redis & { sgRateCountBy(key: string, windowMs: string, hits: string): Promise<number> };

/** One key's window as this instance sees it: the shared count at the last flush, and its own hits since. */
interface BatchedWindow {
  window: number;
  shared: number;
  pending: number;
}

/** A tracked key's window and the name its counter has in Redis. */
interface TrackedWindow extends BatchedWindow {
  windowMs: number;
  redisId: string;
}

export interface BatchedRateCounterOptions extends RedisRateCounterOptions {
  /** How often this instance adds its hits to the shared counters (and reads them back). */
  flushMs?: number;
  /** Most keys tracked at once; beyond it the oldest is flushed and forgotten. */
  maxKeys?: number;
}

/**
 * For the per-message limits on a turn's path (issue 23): shared through Redis like `redisRateCounter`,
 * but a hit is decided on what this instance knows (the shared count at its last flush plus its own hits
 * since) and the hits go to Redis together every `flushMs`, off the turn's path, instead of a script per
 * rule per turn. Across N instances a key can pass its limit by what the others let through within one
 * flush (N × 100 ms of traffic by default): generous per-message limits, not sign-in guessing (those stay
 * on `redisRateCounter`, exact). When Redis fails, the hits stay counted here, as in `redisRateCounter`.
 */
export function batchedRedisRateCounter(options: BatchedRateCounterOptions): RateCounter {
  const redis = options.redis as BatchCountingRedis;
  if (typeof redis.sgRateCountBy !== 'function') redis.defineCommand('sgRateCountBy', { numberOfKeys: 1, lua: countByScript });
  const now = options.now ?? Date.now;
  const { flushMs = 100, maxKeys = 20_000 } = options;
  const prefix = `${options.keyPrefix ?? 'sg:'}rate:`;
  // Keyed in memory by rule and key as given; the keyed hash Redis sees (`redisId`) is computed once per
  // tracked key rather than on every hit: an HMAC per rule per turn was measurable on the turn's path.
  const windows = new Map<string, TrackedWindow>();
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const nameOf = (key: string) => createHmac('sha256', options.hmacKey).update(key, 'utf8').digest('hex').slice(0, 32);

  async function flushOne(entry: TrackedWindow): Promise<void> {
    const hits = entry.pending;
    if (hits === 0) return;
    entry.pending = 0;
    try {
      entry.shared = await redis.sgRateCountBy(`${entry.redisId}:${entry.window}`, String(entry.windowMs), String(hits));
      warned = false;
    } catch (error) {
      entry.shared += hits; // kept here: the per-instance count still limits
      if (!warned) options.logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'rate limits: Redis unavailable, counting per instance until it is back');
      warned = true;
    }
  }
  function flush(): void {
    timer = undefined;
    for (const [id, entry] of windows) {
      void flushOne(entry);
      // A window over is forgotten once its hits are sent (the key's next window starts from Redis's count).
      if (entry.window < Math.floor(now() / entry.windowMs)) windows.delete(id);
    }
    if (windows.size > 0) timer = setTimeout(flush, flushMs).unref();
  }
  return {
    kind: 'redis',
    take(rule, key) {
      const window = Math.floor(now() / rule.windowMs);
      const id = `${rule.name}\n${key}`;
      let entry = windows.get(id);
      if (!entry || entry.window !== window) {
        if (entry) void flushOne(entry);
        const redisId = entry?.redisId ?? `${prefix}${rule.name}:${nameOf(key)}`;
        entry = { window, shared: 0, pending: 0, windowMs: rule.windowMs, redisId };
        windows.delete(id);
        windows.set(id, entry);
        if (windows.size > maxKeys) {
          const [oldest, old] = windows.entries().next().value!;
          void flushOne(old);
          windows.delete(oldest);
        }
      }
      timer ??= setTimeout(flush, flushMs).unref();
      if (entry.shared + entry.pending >= rule.limit) return Promise.resolve({ ok: false, retryAfterMs: (window + 1) * rule.windowMs - now() });
      entry.pending += 1;
      return Promise.resolve({ ok: true });
    },
  };
}
