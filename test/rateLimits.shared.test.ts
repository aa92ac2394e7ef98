import type { Redis } from 'ioredis';
import { createLogger } from '../server';
import { batchedRedisRateCounter, redisRateCounter } from '../server/limits';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

/**
 * Rate limits on Redis are shared: two instances behind one load balancer together allow the limit,
 * not twice it. A client alternating between them (as round-robin does) is cut off after the limit.
 */
describeWithRedis('rate limits shared through Redis', () => {
  const prefix = uniquePrefix();
  const services: ServiceProcess[] = [];
  let redis: Redis;
  beforeAll(async () => {
    redis = newRedis();
    // One deployment: same Redis, key prefix and state key; its own DATA_DIR each.
    const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, STATE_ENCRYPTION_KEY: testKey(), RATE_LIMIT_SIGNIN_PER_MINUTE: '6' };
    for (let i = 0; i < 2; i++) services.push(await startInProcess({ ...env, DATA_DIR: tempDataDir() }));
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('refuses the 7th sign-in attempt across both instances with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${services[i % 2].url}/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=',
        redirect: 'manual',
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // The counter names no address: its key is an HMAC, not the IP.
    const keys = await redis.keys(`${prefix}sg:rate:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
  });

  it('per-message limits: counted in batches off the turn path, still shared by two instances', async () => {
    const logger = createLogger('warn', { write: () => undefined });
    const rule = { name: 'batched-test', limit: 5, windowMs: 60_000 };
    const options = { redis, hmacKey: Buffer.alloc(32, 2), logger, keyPrefix: prefix, flushMs: 20 };
    const [a, b] = [batchedRedisRateCounter(options), batchedRedisRateCounter(options)];
    const fromA = await Promise.all(Array.from({ length: 4 }, () => a.take(rule, 'conversation-1')));
    expect(fromA.every((t) => t.ok)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100)); // A's hits reach Redis; B learns the count at its next flush
    expect((await b.take(rule, 'conversation-1')).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await b.take(rule, 'conversation-1');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(0);
    expect((await a.take(rule, 'conversation-1')).ok).toBe(true); // A has not flushed since B's hit: it lets one more through
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await a.take(rule, 'conversation-1')).ok).toBe(false);
    expect((await a.take(rule, 'another-conversation')).ok).toBe(true);
    // The counters name no conversation: their keys are HMACs, one per conversation, whichever instance counted.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const keys = await redis.keys(`${prefix}rate:batched-test:*`);
    expect(keys.join(' ')).not.toMatch(/conversation/);
    expect(new Set(keys.map((k) => k.split(':').slice(-2, -1)[0])).size).toBe(2);
  });

  it('per-message limits: a new window starts from zero under the same hashed name', async () => {
    const logger = createLogger('warn', { write: () => undefined });
    let clock = 120_000;
    const rule = { name: 'window-test', limit: 2, windowMs: 60_000 };
    const counter = batchedRedisRateCounter({ redis, hmacKey: Buffer.alloc(32, 3), logger, keyPrefix: prefix, flushMs: 10, now: () => clock });
    expect((await counter.take(rule, 'conversation-2')).ok).toBe(true);
    expect((await counter.take(rule, 'conversation-2')).ok).toBe(true);
    expect((await counter.take(rule, 'conversation-2')).ok).toBe(false);
    clock += 60_000; // the next minute
    expect((await counter.take(rule, 'conversation-2')).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const keys = (await redis.keys(`${prefix}rate:window-test:*`)).sort();
    // Two windows of one conversation: the same hashed name, windows 2 and 3, holding 2 hits and 1.
    expect(keys.map((k) => k.split(':').slice(-1)[0])).toEqual(['2', '3']);
    expect(new Set(keys.map((k) => k.split(':').slice(-2, -1)[0])).size).toBe(1);
    expect(await Promise.all(keys.map((k) => redis.get(k)))).toEqual(['2', '1']);
  });

  it('counts in the instance instead of refusing service when Redis fails', async () => {
    const broken = newRedis();
    await broken.quit(); // every command now fails: as if Redis were away
    const warnings: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) });
    const counter = redisRateCounter({ redis: broken, hmacKey: Buffer.alloc(32, 1), logger });
    const rule = { name: 'test', limit: 2, windowMs: 60_000 };
    const results = [await counter.take(rule, 'k'), await counter.take(rule, 'k'), await counter.take(rule, 'k')];
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Redis unavailable, counting per instance/);
  });
});
