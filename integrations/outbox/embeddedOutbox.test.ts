import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedOutbox } from './embeddedOutbox';
import { referralOutboxEntry } from './outboxEntries';
import { outboxKeyOf } from './outboxCodec';
import { anyObject, jsonAs } from '../../test/support/json';
import { referralBody } from '../../test/support/mashFixtures';
import { manualClock, testCodec, testDataDir } from '../../test/support/outboxTesting';

const dirOf = (dataDir: string, sub: string) => join(dataDir, 'outbox', sub);
const filesIn = (dataDir: string, sub: string) => readdirSync(dirOf(dataDir, sub)).filter((name) => name.endsWith('.json'));

describe('embedded outbox', () => {
  it('enqueues once per clientReference, even after delivery', async () => {
    const outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec() });
    const entry = referralOutboxEntry(referralBody());
    expect((await outbox.enqueue(entry)).enqueued).toBe(true);
    expect((await outbox.enqueue(entry)).enqueued).toBe(false);
    const [item] = await outbox.claimDue('c1', 10);
    await outbox.settle(item, { outcome: 'delivered', reference: 'MASH-1', referralId: 'mash-1' });
    expect(await outbox.enqueue(entry)).toMatchObject({ enqueued: false, record: { status: 'delivered', reference: 'MASH-1' } });
    expect(await outbox.claimDue('c1', 10)).toEqual([]);
  });

  it('keeps the payload encrypted on disk and purges it on delivery, keeping status and reference', async () => {
    const dataDir = testDataDir();
    const outbox = await createEmbeddedOutbox({ dataDir, codec: testCodec() });
    const entry = referralOutboxEntry(referralBody(), { conversation: 'conv-1' });
    await outbox.enqueue(entry);
    const queued = readFileSync(join(dirOf(dataDir, 'queue'), filesIn(dataDir, 'queue')[0]), 'utf8');
    expect(queued).not.toMatch(/Test|9434765919|GL1 2TG|conv-1/);
    const [item] = await outbox.claimDue('c1', 10);
    expect(item.entry).toEqual(entry);
    await outbox.settle(item, { outcome: 'delivered', reference: 'MASH-1', referralId: 'mash-1' });
    expect(filesIn(dataDir, 'queue')).toEqual([]);
    const done = jsonAs(readFileSync(join(dirOf(dataDir, 'done'), `${outboxKeyOf(entry.clientReference)}.json`), 'utf8'), anyObject, 'the done file');
    expect(done.data).toBeUndefined();
    expect(done.record).toMatchObject({ status: 'delivered', reference: 'MASH-1', attempts: 1 });
  });

  it('keeps the payload of a parked entry for the person who delivers it by hand', async () => {
    const outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec() });
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    const [item] = await outbox.claimDue('c1', 10);
    await outbox.settle(item, { outcome: 'parked', reason: 'the MASH found the request invalid (400)' });
    expect(await outbox.list('parked')).toEqual([expect.objectContaining({ status: 'parked', lastError: 'the MASH found the request invalid (400)' })]);
    expect(await outbox.claimDue('c1', 10)).toEqual([]);
  });

  it('leases an entry to one consumer at a time, and waits until a retry is due', async () => {
    const clock = manualClock();
    const dataDir = testDataDir();
    const a = await createEmbeddedOutbox({ dataDir, codec: testCodec(Buffer.alloc(32, 1)), now: clock.now, leaseMs: 1000 });
    const b = await createEmbeddedOutbox({ dataDir, codec: testCodec(Buffer.alloc(32, 1)), now: clock.now, leaseMs: 1000 });
    await a.enqueue(referralOutboxEntry(referralBody()));
    const [item] = await a.claimDue('a', 10);
    expect(await b.claimDue('b', 10)).toEqual([]);
    await a.settle(item, { outcome: 'retry', nextAttemptAt: clock.now() + 5000, reason: 'the MASH answered 503' });
    clock.advance(4999);
    expect(await b.claimDue('b', 10)).toEqual([]);
    clock.advance(1);
    expect(await b.claimDue('b', 10)).toHaveLength(1);
  });

  it('lets a delivered record stand when a slower consumer reports a failure afterwards', async () => {
    const clock = manualClock();
    const outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec(), now: clock.now, leaseMs: 1000 });
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    const [slow] = await outbox.claimDue('slow', 1);
    clock.advance(1001);
    const [fast] = await outbox.claimDue('fast', 1);
    await outbox.settle(fast, { outcome: 'delivered', reference: 'MASH-1' });
    const after = await outbox.settle(slow, { outcome: 'retry', nextAttemptAt: clock.now() + 1000, reason: 'timed out' });
    expect(after).toMatchObject({ status: 'delivered', reference: 'MASH-1' });
    expect(await outbox.claimDue('any', 10)).toEqual([]);
  });

  describe('after a crash (kill -9 of the process holding the folder)', () => {
    it('a new instance on the same folder picks up pending and half-tried entries, ignoring debris', async () => {
      const clock = manualClock();
      const dataDir = testDataDir();
      const key = Buffer.alloc(32, 7);
      const crashed = await createEmbeddedOutbox({ dataDir, codec: testCodec(key), now: clock.now, leaseMs: 60_000 });
      const entries = [referralBody(), referralBody(), referralBody()].map((body) => referralOutboxEntry(body));
      for (const entry of entries) await crashed.enqueue(entry);
      const inFlight = (await crashed.claimDue('crashed', 2)).map((i) => i.record.clientReference).sort(); // attempts under way when it died
      const untouched = entries.map((e) => e.clientReference).find((ref) => !inFlight.includes(ref));
      // What kill -9 can leave: a temporary file of an unfinished write, and a lock nobody will release.
      writeFileSync(join(dirOf(dataDir, 'queue'), `${outboxKeyOf(inFlight[0])}.json.999.dead.tmp`), '{"rec');
      const lock = join(dirOf(dataDir, 'locks'), `${outboxKeyOf(inFlight[1])}.lock`);
      writeFileSync(lock, '');
      utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

      const restarted = await createEmbeddedOutbox({ dataDir, codec: testCodec(key), now: clock.now, leaseMs: 60_000 });
      const [free] = await restarted.claimDue('restarted', 10);
      expect(free.record.clientReference).toBe(untouched);
      await restarted.settle(free, { outcome: 'delivered', reference: 'MASH-3' });
      clock.advance(60_000); // the dead process's leases run out
      const resumed = await restarted.claimDue('restarted', 10);
      expect(resumed.map((i) => i.entry?.clientReference).sort()).toEqual(inFlight);
    });

    it('takes over at once from a process on this host that is gone', async () => {
      const dataDir = testDataDir();
      const codec = testCodec(Buffer.alloc(32, 3));
      const alive = new Set<number>([process.pid]);
      const outbox = await createEmbeddedOutbox({ dataDir, codec, leaseMs: 60_000, isProcessAlive: (pid) => alive.has(pid) });
      const entry = referralOutboxEntry(referralBody());
      await outbox.enqueue(entry);
      // Another process (pid 4242, now dead) held the lease when it was killed.
      const file = join(dirOf(dataDir, 'queue'), `${outboxKeyOf(entry.clientReference)}.json`);
      const stored = jsonAs(readFileSync(file, 'utf8'), anyObject, 'the queued file');
      writeFileSync(file, JSON.stringify({ ...stored, lease: { owner: 'dead', host: hostname(), pid: 4242, until: Date.now() + 60_000 } }));
      expect(await outbox.claimDue('me', 10)).toHaveLength(1);
      alive.add(4242);
      writeFileSync(file, JSON.stringify({ ...stored, lease: { owner: 'busy', host: hostname(), pid: 4242, until: Date.now() + 60_000 } }));
      expect(await outbox.claimDue('me', 10)).toEqual([]);
    });
  });

  it('hands back an undecryptable entry (key removed) without its payload, so it can be parked', async () => {
    const dataDir = testDataDir();
    await (await createEmbeddedOutbox({ dataDir, codec: testCodec() })).enqueue(referralOutboxEntry(referralBody()));
    const [item] = await (await createEmbeddedOutbox({ dataDir, codec: testCodec() })).claimDue('c', 10);
    expect(item.entry).toBeUndefined();
  });
});
