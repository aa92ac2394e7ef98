import type { MashClient } from '../mash/mashClient';
import type { MashOutcome } from '../mash/mashOutcome';
import type { ReferralReceipt } from '../../flows';
import { createDeliveryWorker, type DeliveryWorkerOptions } from './deliveryWorker';
import { createEmbeddedOutbox } from './embeddedOutbox';
import { referralOutboxEntry, messageOutboxEntry } from './outboxEntries';
import type { OutboxItem } from './outbox';
import { referralBody } from '../../test/support/mashFixtures';
import { manualClock, testCodec, testDataDir } from '../../test/support/outboxTesting';

const hour = 3_600_000;
const receipt = (n: number): ReferralReceipt => ({ referralId: `mash-${n}`, reference: `MASH-${n}`, status: 'received', receivedAt: '2025-06-15T10:00:00Z' });

/** A MashClient that answers from a script and records the Idempotency-Key of every call. */
function scriptedClient(script: MashOutcome<ReferralReceipt>[]) {
  const keys: string[] = [];
  const client: MashClient = {
    async submitReferral(_body, key) {
      keys.push(key);
      return script.shift() ?? { kind: 'retryable', reason: 'script ran out' };
    },
    getReferral: async () => ({ kind: 'permanent', reason: 'not scripted' }),
    async postMessage(_id, _message, key) {
      keys.push(key);
      return { kind: 'delivered', status: 201, body: { messageId: 'msg-1', receivedAt: '2025-06-15T10:00:00Z' } };
    },
    postIntelligence: async () => ({ kind: 'permanent', reason: 'not scripted' }),
  };
  return { client, keys };
}

async function setUp(script: MashOutcome<ReferralReceipt>[], options: Partial<DeliveryWorkerOptions> = {}) {
  const clock = manualClock();
  const outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec(), now: clock.now });
  const { client, keys } = scriptedClient(script);
  const delivered: { ref: string; reference: string; context: unknown }[] = [];
  const parked: { item: OutboxItem; reason: string }[] = [];
  const worker = createDeliveryWorker({
    outbox,
    client,
    now: clock.now,
    random: () => 0.5,
    onDelivered: (item, answer) => {
      delivered.push({
        ref: item.record.clientReference,
        reference: answer.target === 'referral' ? answer.receipt.reference : answer.target === 'message' ? answer.receipt.messageId : answer.receipt.intelligenceId,
        context: item.entry.context,
      });
    },
    onParked: (item, reason) => {
      parked.push({ item, reason });
    },
    ...options,
  });
  return { clock, outbox, worker, keys, delivered, parked };
}

describe('delivery worker', () => {
  it('delivers with the clientReference as Idempotency-Key and tells onDelivered the MASH reference', async () => {
    const { outbox, worker, keys, delivered } = await setUp([{ kind: 'delivered', status: 201, body: receipt(1) }]);
    const entry = referralOutboxEntry(referralBody(), { conversation: 'conv-1' });
    await outbox.enqueue(entry);
    expect(await worker.runOnce()).toEqual({ delivered: 1, retried: 0, parked: 0, failed: 0 });
    expect(keys).toEqual([entry.clientReference]);
    expect(delivered).toEqual([{ ref: entry.clientReference, reference: 'MASH-1', context: { conversation: 'conv-1' } }]);
    expect(await outbox.get(entry.clientReference)).toMatchObject({ status: 'delivered', reference: 'MASH-1', referralId: 'mash-1', attempts: 1 });
  });

  it('backs off with full jitter, never before Retry-After', async () => {
    const { clock, outbox, worker } = await setUp([
      { kind: 'retryable', status: 503, reason: 'the MASH answered 503', retryAfterMs: 30_000 },
      { kind: 'retryable', reason: 'could not reach the MASH (ECONNRESET)' },
      { kind: 'delivered', status: 200, body: receipt(1) },
    ]);
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    const start = clock.now();
    await worker.runOnce();
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: start + 30_000, lastError: 'the MASH answered 503' });
    clock.advance(29_999);
    expect(await worker.runOnce()).toEqual({ delivered: 0, retried: 0, parked: 0, failed: 0 });
    clock.advance(1);
    await worker.runOnce();
    // attempt 2 with random 0.5: half of the ceiling 2 s * 2^1
    expect(await outbox.get(record.clientReference)).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 2000 });
    clock.advance(2000);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
  });

  it('parks a referral the MASH refuses (400) and calls onParked with the reason', async () => {
    const reason = 'the MASH found the request invalid (400): child.upn';
    const { outbox, worker, parked } = await setUp([{ kind: 'permanent', status: 400, reason }]);
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    expect(await worker.runOnce()).toMatchObject({ parked: 1 });
    expect(parked.map((p) => [p.item.record.clientReference, p.reason])).toEqual([[record.clientReference, reason]]);
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'parked', lastError: reason });
  });

  it('keeps trying for the retry budget, then parks', async () => {
    const unavailable: MashOutcome<ReferralReceipt> = { kind: 'retryable', status: 503, reason: 'the MASH answered 503', retryAfterMs: hour };
    const { clock, outbox, worker, parked } = await setUp(
      Array.from({ length: 10 }, () => unavailable),
      { retryBudgetHours: 3 },
    );
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    for (let i = 0; i < 3; i++) {
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
      clock.advance(hour);
    }
    // The third retry was due at the very end of the budget: one last try, then parked.
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: record.enqueuedAt + 3 * hour });
    expect(await worker.runOnce()).toMatchObject({ parked: 1 });
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'parked', attempts: 4 });
    expect(parked[0].reason).toBe('no delivery within the retry budget (last: the MASH answered 503)');
  });

  it('parks an entry whose payload cannot be decrypted', async () => {
    const dataDir = testDataDir();
    const clock = manualClock();
    await (await createEmbeddedOutbox({ dataDir, codec: testCodec(), now: clock.now })).enqueue(referralOutboxEntry(referralBody()));
    const outbox = await createEmbeddedOutbox({ dataDir, codec: testCodec(), now: clock.now });
    const { client, keys } = scriptedClient([]);
    const reasons: string[] = [];
    const worker = createDeliveryWorker({ outbox, client, now: clock.now, onParked: (_item, reason) => void reasons.push(reason) });
    expect(await worker.runOnce()).toMatchObject({ parked: 1 });
    expect(keys).toEqual([]);
    expect(reasons).toEqual(['the queued payload cannot be decrypted (SG-OUTBOX-CORRUPT)']);
  });

  it("tries again shortly when onDelivered throws (the referrer's notice could not be queued), and the replay tells", async () => {
    let failures = 1;
    const told: string[] = [];
    const { outbox, worker, clock, keys } = await setUp(
      [
        { kind: 'delivered', status: 201, body: receipt(1) },
        { kind: 'delivered', status: 200, body: receipt(1) },
      ],
      {
        onDelivered: (item) => {
          if (failures-- > 0) throw new Error('store down');
          told.push(item.record.clientReference);
        },
      },
    );
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    expect(await worker.runOnce()).toMatchObject({ retried: 1, delivered: 0 });
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'pending', lastError: 'onDelivered callback failed' });
    clock.advance(5000);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(told).toEqual([record.clientReference]);
    expect(keys).toEqual([record.clientReference, record.clientReference]); // the same Idempotency-Key: a replay at the MASH
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'delivered', reference: 'MASH-1' });
  });

  it('parks a referral out of budget on transient failures, then probes it by itself and delivers it once the MASH is back', async () => {
    const { outbox, worker, clock, delivered, parked } = await setUp(
      [
        { kind: 'retryable', reason: 'MASH 503' },
        { kind: 'delivered', status: 201, body: receipt(7) },
      ],
      { retryBudgetHours: 0 },
    );
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    expect(await worker.runOnce()).toMatchObject({ parked: 1 });
    expect(parked[0].reason).toMatch(/^no delivery within the retry budget/);
    clock.advance(15 * 60_000);
    expect(await worker.probeParked()).toBe(1);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(delivered.map((d) => d.reference)).toEqual(['MASH-7']);
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'delivered' });
  });

  it('does not probe an entry the MASH refused (parked for a person)', async () => {
    const { outbox, worker } = await setUp([{ kind: 'permanent', status: 422, reason: 'MASH 422' }]);
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    expect(await worker.runOnce()).toMatchObject({ parked: 1 });
    expect(await worker.probeParked()).toBe(0);
  });

  it('delivers a referrer’s answer to the MASH’s question to the referral’s messages', async () => {
    const { outbox, worker, keys, delivered } = await setUp([]);
    await outbox.enqueue(messageOutboxEntry('answer-0001-abc', 'mash-1', { text: 'She is back at school.', inReplyTo: 'evt-9' }));
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(keys).toEqual(['answer-0001-abc']);
    expect(delivered[0].reference).toBe('msg-1');
  });

  it('runs rounds until stopped', async () => {
    const { outbox, worker, delivered } = await setUp([{ kind: 'delivered', status: 201, body: receipt(1) }], { pollIntervalMs: 10 });
    worker.start();
    await outbox.enqueue(referralOutboxEntry(referralBody()));
    for (let i = 0; i < 200 && delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(delivered).toHaveLength(1);
  });

  it('stops within its grace period even when an attempt hangs (the lease covers the abandoned attempt)', async () => {
    const clock = manualClock();
    const outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec(), now: clock.now });
    const { client } = scriptedClient([]);
    const hanging: MashClient = { ...client, submitReferral: () => new Promise(() => undefined) };
    const worker = createDeliveryWorker({ outbox, client: hanging, now: clock.now, pollIntervalMs: 10 });
    const { record } = await outbox.enqueue(referralOutboxEntry(referralBody()));
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await worker.stop(100);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outbox.get(record.clientReference)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
