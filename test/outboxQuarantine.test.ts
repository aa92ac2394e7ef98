import { readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { createDeliveryWorker, createEmbeddedOutbox, createHandoffQueue, createMashClient, createRedisOutbox, referralOutboxEntry } from '../integrations';
import { main as outboxReplay } from '../server/cli/outboxReplay';
import { createServiceMetrics } from '../server/metrics';
import { captureCli } from './support/cliOutput';
import { referralBody } from './support/mashFixtures';
import { startMashStub } from './support/mashStub';
import { testCodec } from './support/outboxTesting';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

/**
 * F6/F7: an outbox entry that cannot be read is moved aside (quarantined), logged by key, counted in the
 * metrics and listed by `outbox:replay --list`; the entries read with it are delivered as usual.
 */
const logger = pino({ level: 'silent' });
const noHandoffs = createHandoffQueue({
  items: { load: async () => ({ rev: 0 }), save: async () => ({ ok: true, rev: 1 }), delete: async () => undefined },
  index: { load: async () => ({ rev: 0 }), save: async () => ({ ok: true, rev: 1 }), delete: async () => undefined },
  awaiting: { load: async () => ({ rev: 0 }), save: async () => ({ ok: true, rev: 1 }), delete: async () => undefined },
} as unknown as Parameters<typeof createHandoffQueue>[0]);

async function scrape(outbox: Parameters<typeof createServiceMetrics>[0]['outbox']): Promise<string> {
  return createServiceMetrics({ outbox, handoffs: noHandoffs, logger }).registry.metrics();
}

describe('embedded outbox: unreadable files (F6)', () => {
  it('quarantines a truncated and an empty queue file, delivers the rest, counts and lists them', async () => {
    const dataDir = tempDataDir();
    const key = testKey();
    const codec = testCodec(Buffer.from(key, 'base64'));
    const quarantined: string[] = [];
    const outbox = await createEmbeddedOutbox({ dataDir, codec, onQuarantine: (name) => quarantined.push(name) });
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) refs.push((await outbox.enqueue(referralOutboxEntry(referralBody()))).record.clientReference);
    const queue = join(dataDir, 'outbox', 'queue');
    const [first, second] = readdirSync(queue).sort();
    truncateSync(join(queue, first), 40); // torn
    writeFileSync(join(queue, second), ''); // emptied

    const stub = await startMashStub({ token: 'tok-0123456789abcdef' });
    const worker = createDeliveryWorker({
      outbox,
      client: createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token: 'tok-0123456789abcdef' }, timeoutMs: 500 }),
      pollIntervalMs: 20,
    });
    worker.start();
    try {
      await waitFor(() => stub.storedKeys().length === 1, 'the intact referral delivered');
    } finally {
      await worker.stop();
      await stub.close();
    }
    expect(quarantined.sort()).toEqual([`queue-${first}`, `queue-${second}`].sort());
    expect((await outbox.quarantined()).sort()).toEqual([`queue-${first}`, `queue-${second}`].sort());
    expect(readdirSync(queue)).toEqual([]);
    expect(await scrape(outbox)).toMatch(/^sg_outbox_quarantined 2$/m);

    const listed = await captureCli((io) => outboxReplay(['--list'], { DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent' }, io));
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('2 quarantined');
    expect(listed.out).toContain(`quarantined  queue-${first}`);
    expect(listed.out).toContain(`quarantined  queue-${second}`);
  });
});

describeWithRedis('Redis outbox: a record that no longer matches its schema (F7)', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = newRedis();
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('quarantines it and hands out the entries claimed with it; the metrics count pending and quarantined', async () => {
    const seen: string[] = [];
    const outbox = createRedisOutbox({ redis, codec: testCodec(), keyPrefix: prefix, onQuarantine: (ref) => seen.push(ref) });
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) refs.push((await outbox.enqueue(referralOutboxEntry(referralBody()))).record.clientReference);
    await redis.hset(`${prefix}{outbox}:item:${refs[1]}`, 'record', JSON.stringify({ clientReference: refs[1] })); // a hand edit, or another version's record
    expect(await scrape(outbox)).toMatch(/^sg_outbox_pending 2$/m);

    const items = await outbox.claimDue('worker-1', 10);
    expect(items.map((i) => i.record.clientReference).sort()).toEqual([refs[0], refs[2]].sort());
    expect(seen).toEqual([refs[1]]);
    expect(await outbox.quarantined()).toEqual([refs[1]]);
    expect(await redis.exists(`${prefix}{outbox}:quarantined:${refs[1]}`)).toBe(1);
    for (const item of items) await outbox.settle(item, { outcome: 'delivered', reference: 'MASH-1' });
    expect(await outbox.claimDue('worker-1', 10)).toEqual([]);
    const text = await scrape(outbox);
    expect(text).toMatch(/^sg_outbox_pending 0$/m);
    expect(text).toMatch(/^sg_outbox_quarantined 1$/m);
    // Delivered records expire (F15): the payload is gone and the item has a time to live.
    expect(await redis.pttl(`${prefix}{outbox}:item:${refs[0]}`)).toBeGreaterThan(80 * 86_400_000);
  });

  it('keeps the last pending count and counts a read error instead of reporting 0', async () => {
    const outbox = createRedisOutbox({ redis, codec: testCodec(), keyPrefix: prefix });
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    let failing = false;
    const flaky = { ...outbox, pending: () => (failing ? Promise.reject(new Error('store down')) : outbox.pending()) };
    const metrics = createServiceMetrics({ outbox: flaky, handoffs: noHandoffs, logger });
    expect(await metrics.registry.metrics()).toMatch(/^sg_outbox_pending 1$/m);
    failing = true;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^sg_outbox_pending 1$/m);
    expect(text).toMatch(/^sg_outbox_read_errors_total [1-9]/m);
  });
});

describe('embedded outbox: delivered records expire (F15)', () => {
  it('purges delivered records older than the tracking period, keeps parked and recent ones', async () => {
    let at = Date.parse('2026-01-01T00:00:00Z');
    const outbox = await createEmbeddedOutbox({ dataDir: tempDataDir(), codec: testCodec(), now: () => at });
    const a = (await outbox.enqueue(referralOutboxEntry(referralBody()))).record.clientReference;
    const b = (await outbox.enqueue(referralOutboxEntry(referralBody()))).record.clientReference;
    const [itemA, itemB] = await outbox.claimDue('w', 10);
    await outbox.settle(itemA.record.clientReference === a ? itemA : itemB, { outcome: 'delivered', reference: 'MASH-1' });
    await outbox.settle(itemA.record.clientReference === a ? itemB : itemA, { outcome: 'parked', reason: 'refused' });
    at += 1000;
    expect(await outbox.purgeDelivered(Date.now() + 1000)).toBe(1);
    expect(await outbox.get(a)).toBeUndefined();
    expect(await outbox.get(b)).toMatchObject({ status: 'parked' });
    expect(await outbox.pending()).toEqual([]);
  });
});
