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
