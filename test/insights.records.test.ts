import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { insights, loadDefaultPack, type PendingEffect } from '../flows';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEmbeddedDocumentStore,
  createEmbeddedOutbox,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createHandoffQueue,
  createOutboxCodec,
  createRedisAuditLog,
  createReferralRegistry,
  encryptionKey,
  factOf,
  ownerIndexSchema,
  pendingQuestionSchema,
  readInsights,
  referralTrackingSchema,
  seenEventSchema,
  type AuditLog,
  embeddedHandoffStores,
} from '../integrations';
import { createReferralService } from '../server/services';
import { referralBody } from './support/mashFixtures';
import { syntheticLog } from './support/insightsLog';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const codec = createAuditCodec(cipher);
const pack = loadDefaultPack();
const day = 86_400_000;
const tableRows = (report: insights.InsightsReport, id: string) => Object.fromEntries(report.tables.find((t) => t.id === id)!.rows.map((r) => [r.key, r.cells[0]]));

async function referralService(audit: AuditLog) {
  const dataDir = tempDataDir();
  const doc = <T>(folder: string, schema: Parameters<typeof createEncryptedJsonCodec<T>>[1]) =>
    createEmbeddedDocumentStore<T>({ dataDir, folder, codec: createEncryptedJsonCodec(cipher, schema, (k) => `${folder}:${k}`), ttlMs: day });
  const registry = createReferralRegistry({
    referrals: await doc('referrals', referralTrackingSchema),
    owners: await doc('owners', ownerIndexSchema),
    events: await doc('events', seenEventSchema),
    questions: await doc('questions', pendingQuestionSchema),
  });
  const outbox = await createEmbeddedOutbox({ dataDir, codec: createOutboxCodec(cipher) });
  const handoffs = createHandoffQueue(await embeddedHandoffStores(dataDir, cipher, day));
  const service = createReferralService({ outbox, registry, handoffs, pack, logger: pino({ level: 'silent' }), notify: async () => true, audit });
  return { service, outbox };
}

const effectFor = (clientReference: string): PendingEffect<'outbox.enqueue'> => ({
  effect: { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body: referralBody({ clientReference }) } },
  actor: { channelId: 'msteams', userId: 'teacher-1' },
  reference: { channelId: 'msteams', conversation: { id: 'conv-1' }, serviceUrl: 'http://127.0.0.1:9/' },
});

describe('what happens after filing is on the audit record', () => {
  it('records delivery, the MASH acknowledgement and decision, and a parked referral with its handoff, once each', async () => {
    const audit = await createEmbeddedAuditLog({ dataDir: tempDataDir(), codec });
    const { service, outbox } = await referralService(audit);
    await service.enqueue(effectFor('SG-TEST0000010'));
    const [item] = await outbox.claimDue('test', 1);
    const receipt = { referralId: 'r-10', reference: 'MASH-2026-000010', status: 'received' as const, receivedAt: new Date().toISOString() };
    await service.onDelivered({ ...item, entry: item.entry! }, { target: 'referral', receipt });
    await service.onDelivered({ ...item, entry: item.entry! }, { target: 'referral', receipt });
    const base = { referralId: 'r-10', reference: 'MASH-2026-000010', clientReference: 'SG-TEST0000010', occurredAt: new Date().toISOString() };
    await service.onMashEvent({ ...base, eventId: 'evt-ack', type: 'referral.acknowledged' } as never);
    await service.onMashEvent({ ...base, eventId: 'evt-dec', type: 'referral.decision', decision: { outcome: 'early-help' } } as never);
    const refused = effectFor('SG-TEST0000011');
    (refused.effect.payload.body as Record<string, unknown>).concern = { summary: 'short' };
    await service.enqueue(refused);

    const records = await audit.list();
    expect(records.map((r) => `${r.recordType}:${(r.payload.event ?? r.payload.kind ?? '') as string}`).sort()).toEqual([
      'handoff:parked-referral',
      'referral-event:acknowledged',
      'referral-event:decision',
      'referral-event:delivered',
      'referral-event:parked',
    ]);
    expect(JSON.stringify(records)).not.toMatch(/Test Child|9434765919|Test Teacher|example\.org/);
  });
});

function readerContract(name: string, make: () => Promise<{ audit: AuditLog; done?: () => Promise<void> }>, count: number) {
  describe(`reading the ${name} audit log for a date range`, () => {
    it(`streams ${count} records and gives the same report as the pure aggregation`, async () => {
      const { audit, done } = await make();
      try {
        const log = syntheticLog({ count, seed: 5 });
        for (const entry of log.entries) await audit.append(entry);
        const options = { from: '2026-02-01', to: '2026-02-28', pack, now: new Date('2027-01-01T00:00:00Z') };
        const read = await readInsights(audit, options);
        const direct = insights.aggregateInsights(log.entries.map(factOf), { ...options, now: options.now.toISOString() });
        expect(read).toEqual(direct);
        expect(Object.values(tableRows(read, 'screenings-by-category')).some((cell) => typeof cell === 'number')).toBe(true);
        const since = [];
        for await (const entry of audit.entriesSince(new Date('2026-03-01T00:00:00Z'))) since.push(entry.id);
        expect(since.sort()).toEqual(
          log.entries
            .filter((e) => e.recordedAt >= '2026-03-01T00:00:00Z')
            .map((e) => e.id)
            .sort(),
        );
      } finally {
        await done?.();
      }
    });
  });
}

readerContract('embedded', async () => ({ audit: await createEmbeddedAuditLog({ dataDir: tempDataDir(), codec }) }), 400);

describeWithRedis('Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });
  // More than two pages of 500, so the paging is exercised.
  readerContract('Redis', async () => ({ audit: createRedisAuditLog({ redis, codec, keyPrefix: prefix }) }), 1200);
});
