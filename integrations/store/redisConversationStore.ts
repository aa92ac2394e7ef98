import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import { DomainError } from '../../flows';
import { ttlOf, type DocumentStore, type DocumentTtl, type GuardedSaveResult, type SaveResult, type StoredDocument } from './conversationStore';
import { storageKeyOf } from './recordCodec';
import { scanKeys } from './redisScan';
import { createRememberedRevisions, type RememberedRevisionsOptions } from './rememberedRevisions';

/**
 * Compare-and-set in one round trip. A Lua script runs atomically on the server, so unlike WATCH/MULTI
 * it needs no retry loop on the client and cannot interleave with another instance's save. A plain save
 * has one key, so one hash slot on Redis Cluster.
 *
 * `epoch` is random per life of a key (set when the key is created, or first saved by this version):
 * a deleted key (erasure, idle expiry) that is created again starts at revision 1 again, and without the
 * epoch an instance remembering revision 5 could overwrite a conversation re-created elsewhere that had
 * also reached revision 5, resurrecting erased state. ARGV[1] `*` skips the epoch check (the caller
 * loaded just now and only knows the revision, as before). On a mismatch the script returns what is
 * stored, so the caller's retry needs no second trip to load it.
 * KEYS[2..]: a guarded save's guard documents (issue 23): if any exists, nothing is written and the
 * script returns their positions. Checked in the same atomic step, so a guard set by another instance
 * before the save is always seen, and one set after it finds the turn already committed.
 * ARGV: expected epoch, expected revision, data, ttl ms, epoch for a new key.
 * Returns {rev, epoch} when saved, {-1, rev, epoch, data|nil} when not, {-2, position...} when guarded.
 */
const compareAndSetScript = `
local present = {-2}
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then present[#present + 1] = i - 1 end
end
if #present > 1 then return present end
local current = redis.call('HMGET', KEYS[1], 'rev', 'epoch', 'data')
local rev = current[1] or '0'
local epoch = current[2] or ''
if rev ~= ARGV[2] or (ARGV[1] ~= '*' and epoch ~= ARGV[1]) then
  return {-1, rev, epoch, current[3]}
end
if epoch == '' then epoch = ARGV[5] end
local nextRev = tonumber(rev) + 1
redis.call('HSET', KEYS[1], 'rev', nextRev, 'epoch', epoch, 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {nextRev, epoch}
`;

type CasReply = [number, string] | [-1, string, string, string | null] | [-2, ...number[]];
/** The script's keys are counted per call: a plain save passes one, a guarded save one per guard more. */
type CasRedis = Redis & { sgCompareAndSetGuarded(numberOfKeys: number, ...keysThenArgs: string[]): Promise<CasReply> };

export interface RedisStoreOptions<T> {
  redis: Redis;
  codec: EncryptedJsonCodec<T>;
  /** From each save; a function when it depends on the record (a closed handoff goes sooner than an open one). */
  ttlMs: DocumentTtl<T>;
  /** Keeps tests and several deployments on one server apart. */
  keyPrefix?: string;
  /** Kind of document within the prefix (see documentKinds). */
  namespace: string;
  /**
   * Remember what this instance last saved or saw of each key (bounded), so `loadForUpdate` answers
   * without a round trip and the compare-and-set alone checks it (issue 23: one round trip per turn).
   */
  remember?: RememberedRevisionsOptions;
  /**
   * Guards a save can check (`saveUnlessPresent`): name → namespace of a document kind keyed by the same
   * key. Ignored on Redis Cluster, where those keys sit in other hash slots and one script cannot reach them.
   */
  guards?: Record<string, string>;
}

/** Documents in Redis: one hash per key (`rev`, `epoch`, encrypted `data`), expiring when idle. */
export function createRedisDocumentStore<T>(options: RedisStoreOptions<T>): DocumentStore<T> {
  const redis = options.redis as CasRedis;
  if (typeof redis.sgCompareAndSetGuarded !== 'function') {
    redis.defineCommand('sgCompareAndSetGuarded', { lua: compareAndSetScript });
  }
  const prefix = options.keyPrefix ?? 'sg:';
  const keyOf = (storageKey: string) => `${prefix}${options.namespace}:${storageKey}`;
  const remembered = options.remember ? createRememberedRevisions(options.remember) : undefined;
  // A client for Redis Cluster says so (ioredis' `isCluster`): there the guards stay unchecked at save,
  // and callers keep reading them first (`guards` empty tells them).
  const guards = redis.isCluster ? {} : (options.guards ?? {});

  /** What a stored `data` field reads as; remembered (plaintext JSON, never the ciphertext's key) when readable. */
  function readStored(storageKey: string, rev: number, epoch: string, data: string | null): StoredDocument<T> {
    if (data === null) {
      remembered?.set(storageKey, { rev: 0, epoch: '' });
      return { rev: 0 };
    }
    const json = options.codec.decrypt(storageKey, data);
    const record = json === undefined ? undefined : options.codec.parse(json);
    if (!record) {
      remembered?.delete(storageKey);
      return { rev, unreadable: true };
    }
    remembered?.set(storageKey, { rev, epoch, json });
    return { rev, record };
  }

  async function load(conversationId: string): Promise<StoredDocument<T>> {
    const storageKey = storageKeyOf(conversationId);
    const [rev, epoch, data] = await redis.hmget(keyOf(storageKey), 'rev', 'epoch', 'data');
    return readStored(storageKey, Number(rev ?? 0), epoch ?? '', rev === null ? null : data);
  }

  /** From memory when this instance knows the key (the save then checks it), else from Redis. */
  async function loadForUpdate(conversationId: string): Promise<StoredDocument<T>> {
    const known = remembered?.get(storageKeyOf(conversationId));
    if (!known) return load(conversationId);
    if (known.json === undefined) return { rev: known.rev };
    const record = options.codec.parse(known.json);
    return record ? { rev: known.rev, record } : load(conversationId);
  }

  async function save(conversationId: string, record: T, expectedRev: number): Promise<SaveResult> {
    return (await saveUnlessPresent(conversationId, record, expectedRev, [])) as SaveResult;
  }

  async function saveUnlessPresent(conversationId: string, record: T, expectedRev: number, names: readonly string[]): Promise<GuardedSaveResult> {
    const storageKey = storageKeyOf(conversationId);
    const guardKeys = names.map((name) => {
      const namespace = guards[name];
      if (namespace === undefined) throw new DomainError('SG-CONFIG-INVALID', `the store was built without the guard ${name}`);
      return `${prefix}${namespace}:${storageKey}`;
    });
    const json = JSON.stringify(record);
    const data = options.codec.encrypt(storageKey, json);
    const known = remembered?.get(storageKey);
    const epoch = known && known.rev === expectedRev ? known.epoch : '*';
    // The script uses a new epoch only for a key stored without one; an expected epoch it checks equal
    // proves the key has one, so a remembered turn skips drawing a new one.
    const newEpoch = epoch === '*' || epoch === '' ? randomBytes(8).toString('hex') : '';
    const argv = [epoch, String(expectedRev), data, String(ttlOf(options.ttlMs, record)), newEpoch];
    let reply: CasReply;
    try {
      reply = await redis.sgCompareAndSetGuarded(1 + guardKeys.length, keyOf(storageKey), ...guardKeys, ...argv);
    } catch (error) {
      remembered?.delete(storageKey); // the save may or may not have landed
      throw error;
    }
    if (reply[0] === -2) return { ok: false, reason: 'present', present: (reply.slice(1) as number[]).map((position) => names[position - 1]) };
    if (reply[0] < 0) {
      const [, rev, storedEpoch, storedData] = reply as [-1, string, string, string | null];
      readStored(storageKey, Number(rev), storedEpoch, storedData);
      return { ok: false, reason: 'conflict' };
    }
    const [rev, storedEpoch] = reply as [number, string];
    remembered?.set(storageKey, { rev, epoch: storedEpoch, json });
    return { ok: true, rev };
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
    // Only with memory to answer from: otherwise callers (and wrappers around `load`) keep plain loads.
    ...(remembered ? { loadForUpdate } : {}),
    save,
    guards: Object.keys(guards),
    saveUnlessPresent,
    records,
    delete: async (conversationId) => {
      const storageKey = storageKeyOf(conversationId);
      remembered?.delete(storageKey);
      await redis.del(keyOf(storageKey));
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
