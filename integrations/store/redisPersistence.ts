import type { Redis } from 'ioredis';

/** What the service needs to know about a Redis before trusting it with referrals. */
export interface RedisSafety {
  aofEnabled: boolean;
  maxmemoryPolicy: string;
}

/** `field:value` lines of an INFO section. */
function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

/**
 * Reads persistence and eviction with `INFO persistence` and `INFO memory`, never `CONFIG GET`, which
 * managed Redis services hide. Throws when the server does not answer or hides these fields.
 */
export async function readRedisSafety(redis: Redis): Promise<RedisSafety> {
  const [persistence, memory] = await Promise.all([redis.info('persistence'), redis.info('memory')]);
  const aof = infoField(persistence, 'aof_enabled');
  const policy = infoField(memory, 'maxmemory_policy');
  if (aof === undefined || policy === undefined) throw new Error('INFO does not report aof_enabled and maxmemory_policy');
  return { aofEnabled: aof === '1', maxmemoryPolicy: policy };
}

/**
 * Why this Redis could lose referrals, one sentence per setting, naming it (reliability F3): without AOF a
 * restart brings it back empty (or an hour old with RDB only); any eviction policy but `noeviction`
 * deletes outbox items and audit records silently under memory pressure.
 */
export function redisSafetyProblems(safety: RedisSafety): string[] {
  const problems: string[] = [];
  if (!safety.aofEnabled)
    problems.push(
      'Redis runs without AOF persistence (INFO persistence aof_enabled:0): set `appendonly yes` (with `appendfsync everysec` or `always`), or a restart loses every queued referral',
    );
  if (safety.maxmemoryPolicy !== 'noeviction')
    problems.push(
      `Redis evicts keys under memory pressure (INFO memory maxmemory_policy:${safety.maxmemoryPolicy}): set \`maxmemory-policy noeviction\`, or outbox items and audit records can vanish`,
    );
  return problems;
}
