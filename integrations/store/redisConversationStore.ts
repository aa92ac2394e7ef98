import type { Redis } from 'ioredis';
import type { EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import { ttlOf, type DocumentStore, type DocumentTtl, type SaveResult, type StoredDocument } from './conversationStore';
import { storageKeyOf } from './recordCodec';
import { scanKeys } from './redisScan';

/**
 * Compare-and-set in one round trip. A Lua script runs atomically on the server, so unlike WATCH/MULTI
 * it needs no retry loop on the client and cannot interleave with another instance's save.
 * Returns the new revision, or -1 when the stored revision is not the one the caller loaded.
 */
const compareAndSetScript = `
local current = redis.call('HGET', KEYS[1], 'rev')
if not current then current = '0' end
if current ~= ARGV[1] then return -1 end
local nextRev = tonumber(current) + 1
redis.call('HSET', KEYS[1], 'rev', nextRev, 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nextRev
`;

type CasRedis = Redis & { sgCompareAndSet(key: string, expectedRev: string, data: string, ttlMs: string): Promise<number> };

export interface RedisStoreOptions<T> {
  redis: Redis;
  codec: EncryptedJsonCodec<T>;
  /** From each save; a function when it depends on the record (a closed handoff goes sooner than an open one). */
  ttlMs: DocumentTtl<T>;
  /** Keeps tests and several deployments on one server apart. */
  keyPrefix?: string;
  /** Kind of document within the prefix (see documentKinds). */
  namespace: string;
}

/** Documents in Redis: one hash per key (`rev`, encrypted `data`), expiring when idle. */
export function createRedisDocumentStore<T>(options: RedisStoreOptions<T>): DocumentStore<T> {
  const redis = options.redis as CasRedis;
  if (typeof redis.sgCompareAndSet !== 'function') {
    redis.defineCommand('sgCompareAndSet', { numberOfKeys: 1, lua: compareAndSetScript });
  }
  const prefix = options.keyPrefix ?? 'sg:';
  const keyOf = (storageKey: string) => `${prefix}${options.namespace}:${storageKey}`;

  async function load(conversationId: string): Promise<StoredDocument<T>> {
    const storageKey = storageKeyOf(conversationId);
    const [rev, data] = await redis.hmget(keyOf(storageKey), 'rev', 'data');
    if (rev === null || data === null) return { rev: 0 };
    const record = options.codec.decode(storageKey, data);
    return record ? { rev: Number(rev), record } : { rev: Number(rev), unreadable: true };
  }

  async function save(conversationId: string, record: T, expectedRev: number): Promise<SaveResult> {
    const storageKey = storageKeyOf(conversationId);
    const data = options.codec.encode(storageKey, record);
    const rev = await redis.sgCompareAndSet(keyOf(storageKey), String(expectedRev), data, String(ttlOf(options.ttlMs, record)));
    return rev < 0 ? { ok: false, reason: 'conflict' } : { ok: true, rev };
  }

  /** SCAN's pattern and replies carry the client's own keyPrefix, which other commands add themselves. */
  async function* records(onUnreadable?: (storageKey: string) => void): AsyncIterable<T> {
    const clientPrefix = redis.options.keyPrefix ?? '';
    const base = `${clientPrefix}${keyOf('')}`;
    for await (const keys of scanKeys(redis, `${base}*`)) {
      for (const key of keys) {
        const storageKey = key.slice(base.length);
        const data = /^[0-9a-f]+$/.test(storageKey) ? await redis.hget(key.slice(clientPrefix.length), 'data') : null;
        const record = data ? options.codec.decode(storageKey, data) : undefined;
        if (record) yield record;
        else if (data) onUnreadable?.(storageKey);
      }
    }
  }

  return {
    kind: 'redis',
    load,
    save,
    records,
    delete: async (conversationId) => {
      await redis.del(keyOf(storageKeyOf(conversationId)));
    },
    // A write, not PING: an instance that can read but not write (a read-only replica after a failover,
    // an out-of-memory Redis under noeviction) must leave the balancer's rotation too (reliability F10).
    ping: async () => {
      await redis.set(`${prefix}readiness-probe`, '1', 'PX', 60_000);
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
