import type { Redis } from 'ioredis';
import { createDeliveryWorker, createMashClient, createRedisOutbox, referralOutboxEntry, type Outbox } from '../integrations';
import { referralBody } from './support/mashFixtures';
import { startMashStub } from './support/mashStub';
import { manualClock, testCodec } from './support/outboxTesting';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';

describeWithRedis('Redis outbox', () => {
  let redis: Redis;
  let other: Redis;
  let prefix: string;
  const codec = testCodec(Buffer.alloc(32, 5));
  const keyOf = (name: string) => `${prefix}{outbox}:${name}`;
  beforeEach(() => {
    redis = newRedis();
    other = newRedis(); // a second instance has its own connection
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
    await Promise.all([redis.quit(), other.quit()]);
  });

  const outboxOn = (client: Redis, options: { leaseMs?: number; now?: () => number } = {}): Outbox => createRedisOutbox({ redis: client, codec, keyPrefix: prefix, ...options });

  it('enqueues once per clientReference, even when two instances enqueue at the same moment', async () => {
    const entry = referralOutboxEntry(referralBody());
    const results = await Promise.all([outboxOn(redis).enqueue(entry), outboxOn(other).enqueue(entry), outboxOn(redis).enqueue(entry)]);
    expect(results.filter((r) => r.enqueued)).toHaveLength(1);
    expect(await redis.xlen(keyOf('stream'))).toBe(1);
  });

  it('stores the payload encrypted and the record without personal data', async () => {
    const entry = referralOutboxEntry(referralBody(), { conversation: 'conv-secret' });
    await outboxOn(redis).enqueue(entry);
    const stored = await redis.hgetall(keyOf(`item:${entry.clientReference}`));
    expect(JSON.stringify(stored)).not.toMatch(/Test|Example|9434765919|M916200024001|GL1 2TG|conv-secret/);
    expect(stored.data).toMatch(/^v1\./);
  });

  it('lets another consumer take over, with XAUTOCLAIM, an entry a dead consumer left in the group', async () => {
    const a = outboxOn(redis, { leaseMs: 200 });
    const b = outboxOn(other, { leaseMs: 200 });
    const entry = referralOutboxEntry(referralBody());
    await a.enqueue(entry);
    const [claimedByA] = await a.claimDue('consumer-a', 10);
    expect(claimedByA.entry).toEqual(entry);
    // consumer-a dies here, without acknowledging. Its entry is pending in the group, owned by it:
    expect(await redis.xpending(keyOf('stream'), 'delivery', '-', '+', 10)).toEqual([[claimedByA.claim, 'consumer-a', expect.any(Number), 1]]);
    expect(await b.claimDue('consumer-b', 10)).toEqual([]); // not before the lease runs out

    await new Promise((resolve) => setTimeout(resolve, 250));
    const [takenOver] = await b.claimDue('consumer-b', 10);
    expect(takenOver).toMatchObject({ claim: claimedByA.claim, entry });
    expect(await redis.xpending(keyOf('stream'), 'delivery', '-', '+', 10)).toEqual([[claimedByA.claim, 'consumer-b', expect.any(Number), 2]]);

    await b.settle(takenOver, { outcome: 'delivered', reference: 'MASH-1', referralId: 'mash-1' });
    expect(await redis.xpending(keyOf('stream'), 'delivery', '-', '+', 10)).toEqual([]);
    expect(await redis.xlen(keyOf('stream'))).toBe(0);
    expect(await redis.hexists(keyOf(`item:${entry.clientReference}`), 'data')).toBe(0); // payload purged
    expect(await b.get(entry.clientReference)).toMatchObject({ status: 'delivered', reference: 'MASH-1', attempts: 1 });

    // consumer-a was only slow, not dead: its late failure report does not undo the delivery.
    expect(await a.settle(claimedByA, { outcome: 'retry', nextAttemptAt: Date.now(), reason: 'timed out' })).toMatchObject({ status: 'delivered' });
    expect(await redis.zcard(keyOf('due'))).toBe(0);
  });

  it('a worker on a second instance delivers what a killed instance had claimed, exactly once', async () => {
    const stub = await startMashStub({ token: 't' });
    try {
      const entries = [referralBody(), referralBody(), referralBody()].map((body) => referralOutboxEntry(body));
      const dead = outboxOn(redis, { leaseMs: 300 });
      for (const entry of entries) await dead.enqueue(entry);
      expect(await dead.claimDue('killed-instance', 2)).toHaveLength(2);
      const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token: 't' } });
      const worker = createDeliveryWorker({ outbox: outboxOn(other, { leaseMs: 300 }), client, consumer: 'survivor' });
      expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await worker.runOnce()).toMatchObject({ delivered: 2 });
      for (const entry of entries) expect(stub.storedCount(entry.clientReference)).toBe(1);
      expect(await worker.runOnce()).toMatchObject({ delivered: 0 });
    } finally {
      await stub.close();
    }
  });

  it('holds a retry back until it is due, then puts it on the stream again', async () => {
    const clock = manualClock();
    const outbox = outboxOn(redis, { now: clock.now });
    const entry = referralOutboxEntry(referralBody());
    await outbox.enqueue(entry);
    const [item] = await outbox.claimDue('c', 10);
    await outbox.settle(item, { outcome: 'retry', nextAttemptAt: clock.now() + 5000, reason: 'the MASH answered 503' });
    expect(await redis.zscore(keyOf('due'), entry.clientReference)).toBe(String(clock.now() + 5000));
    clock.advance(4999);
    expect(await outbox.claimDue('c', 10)).toEqual([]);
    clock.advance(1);
    const [again] = await outbox.claimDue('c', 10);
    expect(again.record).toMatchObject({ attempts: 1, lastError: 'the MASH answered 503' });
  });

  it('keeps a parked entry and its payload, out of the stream, listed for coordinators', async () => {
    const outbox = outboxOn(redis);
    const entry = referralOutboxEntry(referralBody());
    await outbox.enqueue(entry);
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    const [item] = (await outbox.claimDue('c', 10)).filter((i) => i.record.clientReference === entry.clientReference);
    await outbox.settle(item, { outcome: 'parked', reason: 'the MASH found the request invalid (400)' });
    expect(await outbox.list('parked')).toEqual([expect.objectContaining({ clientReference: entry.clientReference, status: 'parked' })]);
    expect(await outbox.list()).toHaveLength(2);
    expect(await redis.hexists(keyOf(`item:${entry.clientReference}`), 'data')).toBe(1);
  });

  it('drops a stream entry whose item was settled meanwhile instead of trying it again', async () => {
    const outbox = outboxOn(redis, { leaseMs: 100 });
    const entry = referralOutboxEntry(referralBody());
    await outbox.enqueue(entry);
    const [item] = await outbox.claimDue('a', 10);
    await redis.hset(keyOf(`item:${entry.clientReference}`), 'status', 'delivered'); // as if another consumer finished it
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await outbox.claimDue('b', 10)).toEqual([]);
    expect(await redis.xlen(keyOf('stream'))).toBe(0);
    expect(item.claim).toBeTruthy();
  });
});
