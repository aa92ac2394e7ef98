import type { Redis } from 'ioredis';

/**
 * Every key matching `pattern`, page by page, by SCAN (never KEYS, which blocks Redis). Keys come back
 * as Redis has them: with the client's ioredis keyPrefix, if it has one, which the caller strips before
 * passing a key to another command (ioredis adds it again).
 */
export async function* scanKeys(redis: Redis, pattern: string): AsyncIterable<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    if (keys.length) yield keys;
  } while (cursor !== '0');
}
