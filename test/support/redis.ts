import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

/**
 * Redis suites run whenever a server is available (globalSetup finds one or fails under CI=true); they
 * are skipped, loudly, only on a developer machine with no Redis at all.
 */
export const describeWithRedis: jest.Describe = process.env.SG_TEST_SKIP_REDIS ? describe.skip : describe;

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set (globalSetup should have set it)');
  return url;
}

export function newRedis(): Redis {
  return new Redis(redisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** A prefix per test so tests never see each other's keys, and can clean up their own. */
export function uniquePrefix(): string {
  return `sgtest:${randomBytes(4).toString('hex')}:`;
}

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
}
