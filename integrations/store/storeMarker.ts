import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { withFileLock } from './fileLock';
import { parseJsonOrUndefined } from './parseJson';
import { readTextIfExists } from './readTextIfExists';
import { writeAtomically } from './writeAtomically';

/**
 * The deployment marker (issue 18, reliability F3): written once when a store is first initialised and
 * remembered by every instance. A store that answers without it, or with another one, was reset (a
 * Redis restarted without its data, a DATA_DIR swapped): everything written before is gone, and the
 * service says so instead of carrying on as if nothing happened.
 */
export const storeMarkerSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16,64}$/),
  createdAt: z.string(),
  /** `redis:init` (the explicit production step) or `auto` (development, test, the embedded store). */
  by: z.enum(['redis:init', 'auto']),
  /** Set when an instance re-created the marker after seeing a reset: cleared by `redis:init -- --acknowledge-reset`. */
  resetFrom: z.string().optional(),
  resetAt: z.string().optional(),
  /** `1` once an audit record was written under this marker: an empty audit log is then a loss. */
  audit: z.literal('1').optional(),
});
export type StoreMarker = z.infer<typeof storeMarkerSchema>;

export interface StoreMarkers {
  readonly kind: 'redis' | 'embedded';
  /** The marker, or undefined when there is none; throws when the store cannot be read. */
  read(): Promise<StoreMarker | undefined>;
  /** Creates the marker unless one exists (then returns that one, unchanged). */
  create(fields: Pick<StoreMarker, 'by' | 'resetFrom' | 'resetAt'>): Promise<StoreMarker>;
  /** Notes that audit records exist under the current marker (no-op when there is none). */
  markAuditWritten(): Promise<void>;
  /** Clears `resetFrom`/`resetAt`: an operator restored what could be restored, or accepted the loss. */
  acknowledgeReset(): Promise<StoreMarker | undefined>;
}

const newMarker = (fields: Pick<StoreMarker, 'by' | 'resetFrom' | 'resetAt'>, now: Date): StoreMarker => ({
  id: randomBytes(12).toString('hex'),
  createdAt: now.toISOString(),
  by: fields.by,
  ...(fields.resetFrom ? { resetFrom: fields.resetFrom } : {}),
  ...(fields.resetAt ? { resetAt: fields.resetAt } : {}),
});

const parseMarker = (value: unknown): StoreMarker | undefined => {
  const parsed = storeMarkerSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const createIfAbsentScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;
const setIfPresentScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
type MarkerRedis = Redis & {
  sgMarkerCreate(key: string, ...fields: string[]): Promise<number>;
  sgMarkerSet(key: string, field: string, value: string): Promise<number>;
};

/** The Redis key of the marker: `<keyPrefix>deployment` (one key: no Cluster slot concerns). */
export const redisMarkerKey = (keyPrefix = 'sg:') => `${keyPrefix}deployment`;

/**
 * The marker as a Redis hash. `keyPrefix` is what the caller's client does not add itself: `sg:` for the
 * service (its client carries REDIS_KEY_PREFIX), `<REDIS_KEY_PREFIX>sg:` for the admin tools.
 */
export function createRedisStoreMarkers(redis: Redis, keyPrefix = 'sg:', now: () => Date = () => new Date()): StoreMarkers {
  const client = redis as MarkerRedis;
  if (typeof client.sgMarkerCreate !== 'function') client.defineCommand('sgMarkerCreate', { numberOfKeys: 1, lua: createIfAbsentScript });
  if (typeof client.sgMarkerSet !== 'function') client.defineCommand('sgMarkerSet', { numberOfKeys: 1, lua: setIfPresentScript });
  const key = redisMarkerKey(keyPrefix);
  async function read(): Promise<StoreMarker | undefined> {
    const fields = await redis.hgetall(key);
    return Object.keys(fields).length ? (parseMarker(fields) ?? { id: '0'.repeat(16), createdAt: '', by: 'auto' }) : undefined;
  }
  return {
    kind: 'redis',
    read,
    async create(fields) {
      const marker = newMarker(fields, now());
      await client.sgMarkerCreate(key, ...Object.entries(marker).flat());
      return (await read()) ?? marker;
    },
    async markAuditWritten() {
      await client.sgMarkerSet(key, 'audit', '1');
    },
    async acknowledgeReset() {
      await redis.hdel(key, 'resetFrom', 'resetAt');
      return read();
    },
  };
}

/** The embedded store's marker: `DATA_DIR/store-marker.json` (the audit head file tells whether records were written). */
export function createEmbeddedStoreMarkers(dataDir: string, now: () => Date = () => new Date()): StoreMarkers {
  const file = join(dataDir, 'store-marker.json');
  const read = async () => {
    const text = await readTextIfExists(file);
    return text === undefined ? undefined : (parseMarker(parseJsonOrUndefined(text)) ?? { id: '0'.repeat(16), createdAt: '', by: 'auto' as const });
  };
  const change = async (update: (marker: StoreMarker) => StoreMarker) =>
    withFileLock(`${file}.lock`, async () => {
      const marker = await read();
      if (marker) await writeAtomically(file, JSON.stringify(update(marker)));
      return marker && update(marker);
    });
  return {
    kind: 'embedded',
    read,
    create: (fields) =>
      withFileLock(`${file}.lock`, async () => {
        const existing = await read();
        if (existing) return existing;
        const marker = newMarker(fields, now());
        await writeAtomically(file, JSON.stringify(marker));
        return marker;
      }),
    markAuditWritten: async () => undefined,
    acknowledgeReset: () => change(({ resetFrom: _from, resetAt: _at, ...rest }) => rest),
  };
}

/**
 * What an instance host remembers of a Redis marker across restarts (`DATA_DIR/redis-marker-<hash>.json`,
 * one per Redis URL and key prefix): a start that finds another marker, or none, knows the data set it
 * last saw was reset, even in development where the marker is re-created automatically.
 */
export function rememberedMarker(dataDir: string, redisUrl: string, keyPrefix: string) {
  const url = new URL(redisUrl);
  url.password = '';
  url.username = '';
  const file = join(dataDir, `redis-marker-${createHash('sha256').update(`${url.href}\n${keyPrefix}`).digest('hex').slice(0, 16)}.json`);
  const schema = z.object({ id: z.string() });
  return {
    async read(): Promise<string | undefined> {
      const parsed = schema.safeParse(parseJsonOrUndefined((await readTextIfExists(file).catch(() => undefined)) ?? ''));
      return parsed.success ? parsed.data.id : undefined;
    },
    /** Best effort: a read-only DATA_DIR only loses the memory across restarts. */
    async write(id: string): Promise<boolean> {
      await mkdir(dataDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
      return writeAtomically(file, JSON.stringify({ id })).then(
        () => true,
        () => false,
      );
    },
  };
}
export type RememberedMarker = ReturnType<typeof rememberedMarker>;
