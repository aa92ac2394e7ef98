import type { Redis } from 'ioredis';
import { DomainError } from '../../flows';
import {
  newRecord,
  outboxEntrySchema,
  outboxRecordSchema,
  settledRecord,
  type Outbox,
  type OutboxEntry,
  type OutboxItem,
  type OutboxRecord,
  type Settlement,
  withdrawnRecord,
  replayedRecord,
  type ReplayResult,
  type QuarantineListener,
} from './outbox';
import type { OutboxCodec } from './outboxCodec';
import { discardEntryScript, enqueueOnceScript, promoteDueScript, quarantineScript, replayScript, settleScript, withdrawScript } from './redisOutboxScripts';

export interface RedisOutboxOptions {
  redis: Redis;
  codec: OutboxCodec;
  /** Keeps tests and several deployments on one server apart. */
  keyPrefix?: string;
  /** Consumer group name; every instance of one deployment shares it. */
  group?: string;
  /** A stream entry idle this long in a consumer's pending list is taken over with XAUTOCLAIM. */
  leaseMs?: number;
  now?: () => number;
  /** The hash tag of this outbox's keys (default `outbox`); the service's follow-up jobs use their own. */
  name?: string;
  /** How long a delivered record is kept (default 90 days, the tracking period); its payload goes at once. */
  deliveredTtlMs?: number;
  /** Told (client reference and why) when an unreadable record is moved to quarantine. */
  onQuarantine?: QuarantineListener;
}

const defaultDeliveredTtlMs = 90 * 24 * 3600 * 1000;

type OutboxRedis = Redis & {
  sgOutboxEnqueue(
    item: string,
    stream: string,
    all: string,
    due: string,
    ref: string,
    record: string,
    data: string,
    enqueuedAt: string,
    dueAt: string,
    now: string,
  ): Promise<string | null>;
  sgOutboxQuarantine(
    item: string,
    quarantined: string,
    stream: string,
    due: string,
    all: string,
    quarantine: string,
    ref: string,
    group: string,
    entryId: string,
    now: string,
  ): Promise<number>;
  sgOutboxPromote(due: string, stream: string, now: string, max: string): Promise<number>;
  sgOutboxSettle(
    item: string,
    stream: string,
    due: string,
    entryId: string,
    group: string,
    outcome: string,
    record: string,
    nextAttemptAt: string,
    ref: string,
    deliveredTtlMs: string,
  ): Promise<string | null>;
  sgOutboxDiscard(stream: string, group: string, entryId: string): Promise<number>;
  sgOutboxWithdraw(item: string, due: string, record: string, ref: string): Promise<string | null>;
  sgOutboxReplay(item: string, stream: string, record: string, ref: string): Promise<string>;
};

type StreamEntry = [id: string, fields: string[]];

function defineScripts(redis: OutboxRedis): void {
  if (typeof redis.sgOutboxEnqueue === 'function') return;
  redis.defineCommand('sgOutboxEnqueue', { numberOfKeys: 4, lua: enqueueOnceScript });
  redis.defineCommand('sgOutboxQuarantine', { numberOfKeys: 6, lua: quarantineScript });
  redis.defineCommand('sgOutboxPromote', { numberOfKeys: 2, lua: promoteDueScript });
  redis.defineCommand('sgOutboxSettle', { numberOfKeys: 3, lua: settleScript });
  redis.defineCommand('sgOutboxDiscard', { numberOfKeys: 1, lua: discardEntryScript });
  redis.defineCommand('sgOutboxWithdraw', { numberOfKeys: 2, lua: withdrawScript });
  redis.defineCommand('sgOutboxReplay', { numberOfKeys: 2, lua: replayScript });
}

function parseRecord(json: string | null | undefined): OutboxRecord | undefined {
  if (!json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new DomainError('SG-OUTBOX-CORRUPT', 'an outbox record is not JSON');
  }
  const parsed = outboxRecordSchema.safeParse(value);
  if (!parsed.success) throw new DomainError('SG-OUTBOX-CORRUPT', 'an outbox record does not match its schema');
  return parsed.data;
}

/** A record, or undefined when absent or unreadable (listing goes on past a bad one). */
function readableRecord(json: string | null | undefined): OutboxRecord | undefined {
  try {
    return parseRecord(json);
  } catch {
    return undefined;
  }
}

/** XAUTOCLAIM answers [cursor, entries, deleted ids] (Redis 7); entries deleted meanwhile come back as null. */
function autoclaimedEntries(reply: unknown): StreamEntry[] {
  const entries = Array.isArray(reply) && Array.isArray(reply[1]) ? (reply[1] as unknown[]) : [];
  return entries.filter((e): e is StreamEntry => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1]));
}

/**
 * The outbox on Redis, shared by every instance: a Stream read through one consumer group (each entry
 * goes to one consumer; one that dies leaves it in its pending list, where XAUTOCLAIM lets another take
 * it over after `leaseMs`), a hash per entry with its record and encrypted payload, a sorted set of
 * entries waiting to be retried, and a sorted set of every entry for listing.
 */
export function createRedisOutbox(options: RedisOutboxOptions): Outbox {
  const redis = options.redis as OutboxRedis;
  defineScripts(redis);
  // Every key of one outbox shares its hash tag, so on Redis Cluster each script touches one slot.
  const prefix = `${options.keyPrefix ?? 'sg:'}{${options.name ?? 'outbox'}}:`;
  const keys = {
    stream: `${prefix}stream`,
    due: `${prefix}due`,
    all: `${prefix}all`,
    quarantine: `${prefix}quarantine`,
    item: (ref: string) => `${prefix}item:${ref}`,
    quarantined: (ref: string) => `${prefix}quarantined:${ref}`,
  };
  const deliveredTtlMs = options.deliveredTtlMs ?? defaultDeliveredTtlMs;
  const group = options.group ?? 'delivery';
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  let groupReady: Promise<void> | undefined;

  /** Creates the group at the start of the stream, so entries added before any consumer existed are read too. */
  function ensureGroup(): Promise<void> {
    groupReady ??= redis.xgroup('CREATE', keys.stream, group, '0', 'MKSTREAM').then(
      () => undefined,
      (error: Error) => {
        if (!/BUSYGROUP/.test(error.message)) {
          groupReady = undefined;
          throw error;
        }
      },
    );
    return groupReady;
  }

  async function enqueue(entry: OutboxEntry): Promise<{ enqueued: boolean; record: OutboxRecord }> {
    const parsed = outboxEntrySchema.safeParse(entry);
    if (!parsed.success) throw new DomainError('SG-OUTBOX-INVALID-ENTRY', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
    const record = newRecord(parsed.data, now());
    const ref = record.clientReference;
    const existing = await redis.sgOutboxEnqueue(
      keys.item(ref),
      keys.stream,
      keys.all,
      keys.due,
      ref,
      JSON.stringify(record),
      options.codec.encode(ref, parsed.data),
      String(record.enqueuedAt),
      String(record.nextAttemptAt ?? record.enqueuedAt),
      String(now()),
    );
    return existing ? { enqueued: false, record: parseRecord(existing) ?? record } : { enqueued: true, record };
  }

  async function quarantine(ref: string, entryId: string, reason: string): Promise<void> {
    await redis.sgOutboxQuarantine(keys.item(ref), keys.quarantined(ref), keys.stream, keys.due, keys.all, keys.quarantine, ref, group, entryId, String(now()));
    options.onQuarantine?.(ref, reason);
  }

  /**
   * Turns stream entries into items; entries whose item is no longer pending are dropped from the stream,
   * and one whose record cannot be read is quarantined, so it never holds up the entries read with it.
   */
  async function itemsOf(entries: StreamEntry[]): Promise<OutboxItem[]> {
    const items: OutboxItem[] = [];
    for (const [entryId, fields] of entries) {
      const ref = fields[fields.indexOf('ref') + 1];
      const [status, recordJson, data] = ref ? await redis.hmget(keys.item(ref), 'status', 'record', 'data') : [null, null, null];
      let record: OutboxRecord | undefined;
      try {
        record = parseRecord(recordJson);
      } catch (error) {
        await quarantine(ref, entryId, (error as Error).message);
        continue;
      }
      if (!ref || !record || status !== 'pending') {
        await redis.sgOutboxDiscard(keys.stream, group, entryId);
        continue;
      }
      items.push({ record, entry: data ? options.codec.decode(ref, data) : undefined, claim: entryId });
    }
    return items;
  }

  async function claimDue(consumer: string, limit: number): Promise<OutboxItem[]> {
    await ensureGroup();
    await redis.sgOutboxPromote(keys.due, keys.stream, String(now()), '100');
    try {
      const taken = autoclaimedEntries(await redis.xautoclaim(keys.stream, group, consumer, leaseMs, '0-0', 'COUNT', limit));
      const room = limit - taken.length;
      const fresh = room > 0 ? await redis.xreadgroup('GROUP', group, consumer, 'COUNT', room, 'STREAMS', keys.stream, '>') : null;
      const read = (fresh?.[0]?.[1] ?? []).filter((e): e is StreamEntry => Array.isArray(e[1]));
      return await itemsOf([...taken, ...read]);
    } catch (error) {
      // The stream was deleted under us (a flushed or restored Redis): make the group again next round.
      if (/NOGROUP/.test((error as Error).message)) groupReady = undefined;
      throw error;
    }
  }

  async function settle(item: OutboxItem, settlement: Settlement): Promise<OutboxRecord | undefined> {
    const ref = item.record.clientReference;
    const [stored] = await redis.hmget(keys.item(ref), 'record');
    const record = settledRecord(parseRecord(stored) ?? item.record, settlement, now());
    const nextAttemptAt = settlement.outcome === 'retry' ? String(settlement.nextAttemptAt) : '0';
    const result = await redis.sgOutboxSettle(
      keys.item(ref),
      keys.stream,
      keys.due,
      item.claim,
      group,
      settlement.outcome,
      JSON.stringify(record),
      nextAttemptAt,
      ref,
      String(deliveredTtlMs),
    );
    return parseRecord(result);
  }

  async function get(clientReference: string): Promise<OutboxRecord | undefined> {
    return parseRecord(await redis.hget(keys.item(clientReference), 'record'));
  }

  async function list(status?: OutboxRecord['status']): Promise<OutboxRecord[]> {
    if (status === 'pending') return pending();
    const refs = await redis.zrange(keys.all, '0', '-1');
    const stored = await Promise.all(refs.map((ref) => redis.hget(keys.item(ref), 'record')));
    // Delivered items expire: their place in the listing goes the next time it is read.
    const gone = refs.filter((_, i) => stored[i] === null);
    if (gone.length) await redis.zrem(keys.all, ...gone);
    return stored.map(readableRecord).filter((r): r is OutboxRecord => r !== undefined && (!status || r.status === status));
  }

  /** From the pending index only: the retry set and the stream (entries not yet settled), never the history. */
  async function pending(): Promise<OutboxRecord[]> {
    const waiting = await redis.zrange(keys.due, '0', '-1');
    const streamed = ((await redis.xrange(keys.stream, '-', '+')) as StreamEntry[]).map(([, fields]) => fields[fields.indexOf('ref') + 1]).filter((r): r is string => Boolean(r));
    const refs = [...new Set([...waiting, ...streamed])];
    const stored = await Promise.all(refs.map((ref) => redis.hget(keys.item(ref), 'record')));
    return stored
      .map(readableRecord)
      .filter((r): r is OutboxRecord => r?.status === 'pending')
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async function purgeDelivered(): Promise<number> {
    const before = await redis.zcard(keys.all);
    await list('delivered');
    return before - (await redis.zcard(keys.all));
  }

  async function withdraw(clientReference: string): Promise<OutboxRecord | undefined> {
    const stored = await get(clientReference);
    if (!stored || stored.status === 'delivered') return stored;
    return parseRecord(await redis.sgOutboxWithdraw(keys.item(clientReference), keys.due, JSON.stringify(withdrawnRecord(stored, now())), clientReference));
  }

  async function replay(clientReference: string): Promise<ReplayResult> {
    const stored = await get(clientReference);
    if (!stored) return { ok: false, reason: 'not-found' };
    const answer = await redis.sgOutboxReplay(keys.item(clientReference), keys.stream, JSON.stringify(replayedRecord(stored, now())), clientReference);
    if (answer === 'not-found' || answer === 'not-parked' || answer === 'no-payload') return { ok: false, reason: answer };
    return { ok: true, record: parseRecord(answer) ?? stored };
  }

  return {
    kind: 'redis',
    enqueue,
    get,
    list,
    claimDue,
    settle,
    withdraw,
    replay,
    pending,
    purgeDelivered,
    quarantined: () => redis.zrange(keys.quarantine, '0', '-1'),
    close: async () => undefined,
  };
}
