import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadDefaultPack, type OutgoingMessage, type PendingEffect } from '../flows';
import {
  createEmbeddedDocumentStore,
  createEmbeddedOutbox,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createOutboxCodec,
  createReferralRegistry,
  encryptionKey,
  ownerIndexSchema,
  referralTrackingSchema,
  seenEventSchema,
  pendingQuestionSchema,
  createHandoffQueue,
  storageKeyOf,
  signMashEvent,
  embeddedHandoffStores,
} from '../integrations';
import { mashWebhookRouter } from '../server/referrals/mashWebhook';
import { createReferralService } from '../server/services';
import { referralBody } from './support/mashFixtures';
import { tempDataDir } from './support/serviceProcess';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const logger = pino({ level: 'silent' });
const day = 86_400_000;

async function build(now?: () => Date, log = logger) {
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
  const told: Array<{ reference: unknown; message: OutgoingMessage }> = [];
  const service = createReferralService({
    outbox,
    registry,
    handoffs,
    pack: loadDefaultPack(),
    logger: log,
    ...(now ? { now } : {}),
    notify: async (reference, message) => {
      told.push({ reference, message });
      return true;
    },
  });
  return { service, outbox, registry, handoffs, told, dataDir };
}

function referralEffect(clientReference: string): PendingEffect<'outbox.enqueue'> {
  const body = referralBody({ clientReference });
  return {
    effect: { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body } },
    actor: { channelId: 'msteams', userId: 'teacher-1' },
    reference: { channelId: 'msteams', conversation: { id: 'conv-1' }, serviceUrl: 'http://127.0.0.1:9/' },
  };
}

describe('referral service', () => {
  it('queues a confirmed referral once, tracks it for "my referrals", and tells the referrer on delivery', async () => {
    const { service, outbox, told } = await build();
    const effect = referralEffect('SG-TEST0000001');
    await service.enqueue(effect);
    await service.enqueue(effect); // a re-run effect after a crash
    expect((await outbox.list()).map((r) => r.clientReference)).toEqual(['SG-TEST0000001']);
    const mine = await service.listFor('msteams', 'teacher-1');
    expect(mine).toMatchObject([{ clientReference: 'SG-TEST0000001', status: 'queued' }]);

    const [item] = await outbox.claimDue('test', 1);
    const receipt = { referralId: 'r-1', reference: 'MASH-2026-000001', status: 'received' as const, receivedAt: new Date().toISOString() };
    await service.onDelivered({ ...item, entry: item.entry! }, { target: 'referral', receipt });
    await service.onDelivered({ ...item, entry: item.entry! }, { target: 'referral', receipt }); // callbacks may repeat
    expect(told).toHaveLength(1);
    expect(told[0].message.value).toEqual({ type: 'safeguarding.referralFiled', status: 'delivered', clientReference: 'SG-TEST0000001', reference: 'MASH-2026-000001' });
    expect(told[0].message.text).toMatch(/MASH-2026-000001.*within 72 hours otherwise\. If you have not heard back by then, phone the .*01452 426565/);
    expect(await service.listFor('msteams', 'teacher-1')).toMatchObject([{ status: 'delivered', reference: 'MASH-2026-000001' }]);
  });

  it('parks a referral the contract refuses and tells the referrer to phone', async () => {
    const { service, told, outbox, handoffs } = await build();
    const effect = referralEffect('SG-TEST0000002');
    (effect.effect.payload.body as Record<string, unknown>).concern = { summary: 'short' };
    await service.enqueue(effect);
    expect(await outbox.list()).toEqual([]);
    expect(told[0].message.text).toMatch(/could not be delivered.*01452 426565/);
    expect((await service.listFor('msteams', 'teacher-1'))[0].status).toBe('parked');
    // A coordinator gets it to check by phone; the summary names references, not the child.
    const [handoff] = await handoffs.triaged();
    expect(handoff).toMatchObject({ handoffId: 'parked-SG-TEST0000002', kind: 'parked-referral', status: 'open', referrer: { channelId: 'msteams' } });
    expect(handoff.summary).not.toMatch(/Test Child|9434765919/);
  });

  it('tells the referrer of a parked referral on a Saturday night to phone the duty team now, not the closed help desk', async () => {
    const { service, told } = await build(() => new Date('2026-03-07T23:00:00Z'));
    const effect = referralEffect('SG-TEST0000003');
    (effect.effect.payload.body as Record<string, unknown>).concern = { summary: 'short' };
    await service.enqueue(effect);
    expect(told[0].message.text).toMatch(
      /Please phone now: the Emergency Duty Team on 01452 614194, an answerphone: .*\(open now; the Children and Families Help Desk \(MASH front door\) on 01452 426565 opens Monday 9 March at 09:00\)\. Quote SG-TEST0000003\./,
    );
    expect(told[0].message.text).not.toMatch(/\{\{/);
  });

  it('logs a delivered or parked referral whose tracking record cannot be read, and gives a parked one to the coordinators; an erased one stays silent', async () => {
    const lines: string[] = [];
    const { service, outbox, registry, handoffs, told, dataDir } = await build(undefined, pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }));
    const [delivered, parked, erased] = ['SG-TEST0000004', 'SG-TEST0000005', 'SG-TEST0000006'];
    for (const ref of [delivered, parked, erased]) await service.enqueue(referralEffect(ref));
    // Noise where two tracking records were (a damaged disk, reliability experiment 4a); the third was erased on request.
    for (const ref of [delivered, parked]) writeFileSync(join(dataDir, 'referrals', `${storageKeyOf(ref)}.json`), randomBytes(300));
    await registry.forget(erased);

    const items = await outbox.claimDue('test', 3);
    const item = (ref: string) => {
      const found = items.find((i) => i.record.clientReference === ref)!;
      return { ...found, entry: found.entry! };
    };
    const receipt = (n: number) => ({ referralId: `r-${n}`, reference: `MASH-2026-00000${n}`, status: 'received' as const, receivedAt: new Date().toISOString() });
    await service.onDelivered(item(delivered), { target: 'referral', receipt: receipt(4) });
    await service.onParked(item(parked), 'refused by the MASH (422)');
    await service.onDelivered(item(erased), { target: 'referral', receipt: receipt(6) });

    expect(told).toEqual([]); // whom to tell was in the records
    const errors = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'SG-STORE-CORRUPT',
        referral: delivered,
        event: 'delivered',
        reference: 'MASH-2026-000004',
        msg: expect.stringMatching(/tracking record is unreadable/),
      }),
      expect.objectContaining({ code: 'SG-STORE-CORRUPT', referral: parked, event: 'parked', reason: 'refused by the MASH (422)' }),
    ]);
    const [handoff, ...others] = await handoffs.triaged();
    expect(others).toEqual([]);
    expect(handoff).toMatchObject({ handoffId: `parked-${parked}`, kind: 'parked-referral', status: 'open' });
    expect(handoff.summary).toMatch(/SG-TEST0000005 could not be delivered .* who filed it cannot be read, so nobody was told/);
  });
});

describe('MASH status webhook', () => {
  const secret = 'test-webhook-secret-0123456789abcdefghij';

  async function serve() {
    const built = await build();
    await built.service.enqueue(referralEffect('SG-TEST0000003'));
    const app = express();
    app.use(mashWebhookRouter({ secret, referrals: built.service, logger }));
    const server = await new Promise<ReturnType<typeof app.listen>>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/mash/events`;
    const post = (body: string, timestamp: number, signWith = secret) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mash-timestamp': String(timestamp), 'x-mash-signature': signMashEvent(body, String(timestamp), signWith) },
        body,
      });
    return { ...built, post, close: () => new Promise((r) => server.close(r)) };
  }

  const event = (eventId: string) =>
    JSON.stringify({
      eventId,
      occurredAt: new Date().toISOString(),
      type: 'referral.decision',
      referralId: 'r-3',
      reference: 'MASH-2026-000003',
      clientReference: 'SG-TEST0000003',
      decision: { outcome: 'assessment', note: 'Allocated to the assessment team.' },
    });

  it('accepts a good signature once, relays the decision, and ignores a repeat', async () => {
    const s = await serve();
    try {
      const now = Math.floor(Date.now() / 1000);
      expect((await s.post(event('evt-1'), now)).status).toBe(200);
      const again = await s.post(event('evt-1'), now);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'duplicate' });
      expect(s.told.map((t) => t.message.value)).toEqual([
        {
          type: 'safeguarding.referralUpdate',
          reference: 'MASH-2026-000003',
          event: 'referral.decision',
          decision: { outcome: 'assessment', note: 'Allocated to the assessment team.' },
        },
      ]);
      expect(s.told[0].message.text).toMatch(/a social work assessment/);
    } finally {
      await s.close();
    }
  });

  it('refuses a bad signature and a stale timestamp with 401', async () => {
    const s = await serve();
    try {
      const now = Math.floor(Date.now() / 1000);
      expect((await s.post(event('evt-2'), now, 'another-secret-0123456789abcdefghijkl')).status).toBe(401);
      expect((await s.post(event('evt-3'), now - 301)).status).toBe(401);
      expect(s.told).toHaveLength(0);
    } finally {
      await s.close();
    }
  });
});
