import { randomBytes } from 'node:crypto';
import type { ReferralBody } from '../flows';
import {
  createDeliveryWorker,
  createEmbeddedOutbox,
  createEnvelopeCipher,
  createMashClient,
  createOutboxCodec,
  createRedisClient,
  createRedisOutbox,
  encryptionKey,
  referralOutboxEntry,
  type Outbox,
} from '../integrations';
import { startMashStub } from './mashStub';

/** A valid referral about a synthetic child (the project's fixture values; nobody real). */
function referral(clientReference: string): ReferralBody {
  return {
    schemaVersion: '1',
    clientReference,
    submittedAt: '2026-11-28T10:00:00Z',
    channel: 'msteams',
    referrer: { name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School', email: 'test.teacher@example.org' },
    child: { firstName: 'Test', lastName: 'Child', dateOfBirth: '2012-03-14', nhsNumber: '9434765919', address: { postcode: 'GL1 2TG' }, lookedAfter: false },
    concern: { summary: 'Seen getting into cars with older men after school.', categories: ['cse'], immediateDanger: false },
    screening: {
      tool: 'gloucestershire-cse',
      version: '1',
      category: 2,
      indicators: [{ id: 'older-partner', label: 'Relationship with an older person' }],
      rationale: 'Two moderate indicators.',
    },
    consent: { status: 'not-sought', overrideReason: 'would-increase-risk', lawfulBasis: 'UK GDPR Art 6(1)(e); DPA 2018 Sch 1 para 18' },
    urgency: 'same-day',
  };
}

export interface OutboxResult {
  referrals: number;
  seconds: number;
  perSecond: number;
  filed: number;
  filedOnce: boolean;
  repeats: number;
  requests: number;
  failures: number;
}

export type OutboxStore = { kind: 'embedded'; dataDir: string } | { kind: 'redis'; url: string; keyPrefix: string };

async function openOutbox(store: OutboxStore): Promise<{ outbox: Outbox; close: () => Promise<void> }> {
  const codec = createOutboxCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
  if (store.kind === 'embedded') {
    const outbox = await createEmbeddedOutbox({ dataDir: store.dataDir, codec });
    return { outbox, close: () => outbox.close() };
  }
  const redis = createRedisClient(store.url);
  await redis.connect();
  return {
    outbox: createRedisOutbox({ redis, codec, keyPrefix: store.keyPrefix }),
    close: async () => {
      redis.disconnect();
    },
  };
}

/**
 * Enqueues `count` referrals (encrypted, as the service does), then times the delivery worker the service
 * runs until the stub has filed every one; `filedOnce` says each Idempotency-Key was filed exactly once.
 */
export async function deliverReferrals(store: OutboxStore, count: number, failureRate: number): Promise<OutboxResult> {
  const stub = await startMashStub({ failureRate });
  const { outbox, close } = await openOutbox(store);
  const run = randomBytes(4).toString('hex');
  for (let i = 0; i < count; i++) await outbox.enqueue(referralOutboxEntry(referral(`bench-${run}-${i}`)));
  const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token: 'bench-token-0123' } });
  // A short backoff only in the failing run keeps it brief; Retry-After 0 lets the schedule decide.
  const worker = createDeliveryWorker({ outbox, client, pollIntervalMs: 20, ...(failureRate > 0 ? { baseDelayMs: 100, maxDelayMs: 2000 } : {}) });
  const started = performance.now();
  worker.start();
  const deadline = Date.now() + 180_000;
  while (stub.filed() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  await close();
  await stub.close();
  const { requests, failures, repeats } = stub.stats();
  return { referrals: count, seconds, perSecond: stub.filed() / seconds, filed: stub.filed(), filedOnce: stub.filed() === count && repeats === 0, repeats, requests, failures };
}
