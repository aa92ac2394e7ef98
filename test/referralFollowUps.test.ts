import { randomBytes } from 'node:crypto';
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadDefaultPack, type OutgoingMessage, type PendingEffect } from '../flows';
import {
  createDeliveryWorker,
  createEmbeddedDocumentStore,
  createEmbeddedOutbox,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createHandoffQueue,
  createMashClient,
  createOutboxCodec,
  createReferralRegistry,
  embeddedHandoffStores,
  encryptionKey,
  ownerIndexSchema,
  pendingQuestionSchema,
  referralTrackingSchema,
  seenEventSchema,
  signMashEvent,
  storageKeyOf,
  type DeliveryWorker,
} from '../integrations';
import { mashWebhookRouter } from '../server/referrals/mashWebhook';
import { myReferralsMessage } from '../server/services';
import { createReferralService, type AckWindow, type Notify } from '../server/services';
import { createMashCredentialsAlert } from '../server/coordinator';
import { referralBody } from './support/mashFixtures';
import { startMashStub, type MashStub } from './support/mashStub';
import { tempDataDir } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

/**
 * The referral service with its follow-up queue and both workers on real files (issue 18 item 1): notices
 * retried until the channel takes them, MASH events applied before they are marked seen and kept in the
 * order they occurred, the acknowledgement window, and a parked referral that arrives later reconciled.
 */
const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const logger = pino({ level: 'silent' });
const day = 86_400_000;
const pack = loadDefaultPack();
const token = 'follow-up-test-token-0123456789';
const secret = 'follow-up-webhook-secret-0123456789abcdef';

let stub: MashStub;
const workers: DeliveryWorker[] = [];
const servers: Array<{ close(cb: () => void): void }> = [];
beforeEach(async () => {
  stub = await startMashStub({ token });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  await stub.close();
});

async function build(
  options: { notify?: Notify; ackWindow?: AckWindow; retryBudgetHours?: number; onCredentialsRefused?: (status: number) => Promise<void>; logger?: pino.Logger } = {},
) {
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
  const followUps = await createEmbeddedOutbox({ dataDir, codec: createOutboxCodec(cipher), folder: 'follow-ups' });
  const handoffs = createHandoffQueue(await embeddedHandoffStores(dataDir, cipher, day));
  const told: Array<{ reference: unknown; message: OutgoingMessage }> = [];
  const notify: Notify =
    options.notify ??
    (async (reference, message) => {
      told.push({ reference, message });
      return true;
    });
  const service = createReferralService({ outbox, registry, handoffs, pack, logger, followUps, ackWindow: options.ackWindow ?? { immediateHours: 4, otherHours: 72 }, notify });
  const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token }, timeoutMs: 500 });
  const mash = createDeliveryWorker({
    outbox,
    client,
    onDelivered: service.onDelivered,
    onParked: service.onParked,
    baseDelayMs: 20,
    maxDelayMs: 100,
    pollIntervalMs: 20,
    ...(options.retryBudgetHours !== undefined ? { retryBudgetHours: options.retryBudgetHours } : {}),
    onCredentialsRefused: options.onCredentialsRefused,
    logger: options.logger,
  });
  const notices = createDeliveryWorker({ outbox: followUps, deliver: service.runFollowUp, baseDelayMs: 50, maxDelayMs: 200, pollIntervalMs: 20 });
  workers.push(mash, notices);
  return { dataDir, service, outbox, followUps, registry, handoffs, told, mash, notices };
}

function referralEffect(clientReference: string, urgency?: 'immediate' | 'routine'): PendingEffect<'outbox.enqueue'> {
  const body = referralBody({ clientReference, ...(urgency ? { urgency } : {}) });
  return {
    effect: { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body } },
    actor: { channelId: 'msteams', userId: 'teacher-1' },
    reference: { channelId: 'msteams', conversation: { id: 'conv-1' }, serviceUrl: 'http://127.0.0.1:9/' },
  };
}

async function webhook(service: ReturnType<typeof createReferralService>) {
  const app = express();
  app.use(mashWebhookRouter({ secret, referrals: service, logger }));
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(503).json({ status: 'error' }));
  const server = await new Promise<ReturnType<typeof app.listen>>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/mash/events`;
  return (event: Record<string, unknown>, skewMs = 0) => {
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor((Date.now() + skewMs) / 1000));
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mash-timestamp': timestamp, 'x-mash-signature': signMashEvent(body, timestamp, secret) },
      body,
    });
  };
}

const deliveredNotices = (told: Array<{ message: OutgoingMessage }>) => told.filter((t) => (t.message.value as { status?: string } | undefined)?.status === 'delivered');

describe('the referrer is told, always (follow-up queue)', () => {
  it('retries the "delivered" notice until the channel takes it, tells once, and "my referrals" shows it meanwhile (F1)', async () => {
    let refusals = 3;
    const told: OutgoingMessage[] = [];
    const built = await build({
      notify: async (_reference, message) => {
        if (refusals-- > 0) return false; // the connector answering 5xx, or the channel not taking it
        told.push(message);
        return true;
      },
    });
    await built.service.enqueue(referralEffect('SG-FOLLOW00001'));
    built.mash.start();
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00001'))?.status === 'delivered', 'delivered to the MASH');
    const mine = myReferralsMessage(pack, await built.service.listFor('msteams', 'teacher-1'));
    expect(mine.text).toMatch(/SG-FOLLOW00001 \(MASH MASH-\d{4}-\d+\).*received by the MASH/);
    built.notices.start();
    await waitFor(() => told.length > 0, 'the delivered notice');
    await new Promise((r) => setTimeout(r, 300));
    expect(told).toHaveLength(1);
    expect(told[0].text).toMatch(/has reached the MASH\. Their reference is MASH-/);
    expect(refusals).toBeLessThan(0);
  });

  it('applies a MASH event whose first delivery failed part-way when the MASH retries it (F5)', async () => {
    const built = await build();
    await built.service.enqueue(referralEffect('SG-FOLLOW00002'));
    built.mash.start();
    built.notices.start();
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00002'))?.status === 'delivered', 'delivered');
    const post = await webhook(built.service);
    const event = {
      eventId: 'evt-f5-1',
      occurredAt: new Date().toISOString(),
      type: 'referral.decision',
      referralId: 'r-2',
      reference: 'MASH-2026-000002',
      clientReference: 'SG-FOLLOW00002',
      decision: { outcome: 'assessment' },
    };
    // The tracking record cannot be read for a moment (a disk fault): the event fails with a 5xx.
    const path = join(built.dataDir, 'referrals', `${storageKeyOf('SG-FOLLOW00002')}.json`);
    await rename(path, `${path}.aside`);
    await mkdir(path);
    expect((await post(event)).status).toBeGreaterThanOrEqual(500);
    await rmdir(path);
    await rename(`${path}.aside`, path);
    // The MASH retries the same event: applied now, not answered "duplicate".
    const retried = await post(event);
    expect(await retried.json()).toEqual({ status: 'applied' });
    expect(await (await post(event)).json()).toEqual({ status: 'duplicate' });
    await waitFor(() => built.told.some((t) => /decided on your referral MASH-2026-000002: a social work assessment/.test(t.message.text)), 'the decision notice');
    expect((await built.registry.get('SG-FOLLOW00002'))?.events.map((e) => e.eventId)).toEqual(['evt-f5-1']);
  });

  it('keeps MASH events in the order they occurred and does not announce an acknowledgement overtaken by a decision (F14)', async () => {
    const built = await build();
    await built.service.enqueue(referralEffect('SG-FOLLOW00003'));
    built.mash.start();
    built.notices.start();
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00003'))?.status === 'delivered', 'delivered');
    const post = await webhook(built.service);
    const base = { referralId: 'r-3', reference: 'MASH-2026-000003', clientReference: 'SG-FOLLOW00003' };
    const now = Date.now();
    await post({ ...base, eventId: 'evt-f14-decision', occurredAt: new Date(now).toISOString(), type: 'referral.decision', decision: { outcome: 'early-help' } });
    await post({ ...base, eventId: 'evt-f14-ack', occurredAt: new Date(now - 3_600_000).toISOString(), type: 'referral.acknowledged' });
    await waitFor(() => built.told.some((t) => /early help/.test(t.message.text)), 'the decision notice');
    await new Promise((r) => setTimeout(r, 300));
    expect((await built.registry.get('SG-FOLLOW00003'))?.events.map((e) => e.type)).toEqual(['referral.acknowledged', 'referral.decision']);
    expect(myReferralsMessage(pack, await built.service.listFor('msteams', 'teacher-1')).text).toMatch(/latest: decision/);
    expect(built.told.filter((t) => /has acknowledged/.test(t.message.text))).toHaveLength(0);
  });
});

describe('no acknowledgement from the MASH in time', () => {
  it('tells the referrer to phone quoting the MASH reference, and opens a coordinator handoff, each once', async () => {
    // 0.0005 h = 1.8 s for an immediate referral; the other window is long and never reached here.
    const built = await build({ ackWindow: { immediateHours: 0.0005, otherHours: 72 } });
    await built.service.enqueue(referralEffect('SG-FOLLOW00004', 'immediate'));
    built.mash.start();
    built.notices.start();
    await waitFor(() => built.told.some((t) => /has not acknowledged/.test(t.message.text)), 'the no-acknowledgement notice', 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const reference = (await built.registry.get('SG-FOLLOW00004'))?.reference;
    const notices = built.told.filter((t) => /has not acknowledged/.test(t.message.text));
    expect(notices).toHaveLength(1);
    expect(notices[0].message.text).toContain(`quoting ${reference}`);
    expect(notices[0].message.text).toMatch(/Please phone (the|an) .*0\d{4} \d{6}/);
    expect(notices[0].message.text).not.toMatch(/\{\{|\{[a-z]+\}/);
    const handoff = await built.handoffs.get('noack-SG-FOLLOW00004');
    expect(handoff).toMatchObject({ kind: 'unacknowledged-referral', status: 'open', urgency: 'immediate' });
    expect(handoff?.summary).toContain(reference);
  });

  it('says nothing when the MASH acknowledged within the window', async () => {
    const built = await build({ ackWindow: { immediateHours: 0.0005, otherHours: 72 } });
    await built.service.enqueue(referralEffect('SG-FOLLOW00005', 'immediate'));
    built.mash.start();
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00005'))?.status === 'delivered', 'delivered');
    const post = await webhook(built.service);
    const tracking = await built.registry.get('SG-FOLLOW00005');
    await post({
      eventId: 'evt-ack-5',
      occurredAt: new Date().toISOString(),
      type: 'referral.acknowledged',
      referralId: tracking!.referralId,
      reference: tracking!.reference,
      clientReference: 'SG-FOLLOW00005',
    });
    built.notices.start();
    await new Promise((r) => setTimeout(r, 3000));
    expect(built.told.filter((t) => /has not acknowledged/.test(t.message.text))).toHaveLength(0);
    expect(await built.handoffs.get('noack-SG-FOLLOW00005')).toBeUndefined();
    expect(await built.followUps.get('SG-FOLLOW00005.j.ack')).toMatchObject({ status: 'delivered' });
  });
});

describe('a referral parked after the retry budget (F13)', () => {
  it('is tried again by itself once the MASH is back, and the referrer and the coordinator hear it did arrive', async () => {
    const built = await build({ retryBudgetHours: 0 });
    stub.outage(60_000);
    await built.service.enqueue(referralEffect('SG-FOLLOW00006'));
    built.mash.start();
    built.notices.start();
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00006'))?.status === 'parked', 'parked');
    await waitFor(() => built.told.some((t) => /could not be delivered/.test(t.message.text)), 'the parked notice');
    const parkedNotice = built.told.find((t) => /could not be delivered/.test(t.message.text))!.message.text;
    expect(parkedNotice).toMatch(/could not be delivered to the MASH \(the MASH's system could not be reached\)/);
    expect(parkedNotice).not.toMatch(/UND_ERR|retry budget/);
    // The handoff and the notice are separate follow-up jobs: either may be done first.
    await waitFor(async () => (await built.handoffs.get('parked-SG-FOLLOW00006'))?.status === 'open', 'the parked handoff');

    // Still down: a probe parks it again without telling anyone twice.
    expect(await built.mash.probeParked()).toBe(1);
    await waitFor(async () => (await built.outbox.get('SG-FOLLOW00006'))?.status === 'parked', 're-parked');
    stub.outage(0);
    expect(await built.mash.probeParked()).toBe(1);
    await waitFor(async () => (await built.registry.get('SG-FOLLOW00006'))?.status === 'delivered', 'delivered after the probe');
    await waitFor(() => deliveredNotices(built.told).length > 0, 'the late delivery notice');
    await new Promise((r) => setTimeout(r, 300));
    expect(stub.storedCount('SG-FOLLOW00006')).toBe(1);
    expect(built.told.filter((t) => /could not be delivered/.test(t.message.text))).toHaveLength(1);
    const late = deliveredNotices(built.told);
    expect(late).toHaveLength(1);
    expect(late[0].message.text).toMatch(/did reach the MASH after all: their reference is MASH-.*give them both references/);
    const handoff = await built.handoffs.get('parked-SG-FOLLOW00006');
    expect(handoff).toMatchObject({ status: 'closed' });
    expect(handoff?.summary).toMatch(/did reach the MASH after all, as MASH-/);
  });
});

describe('the MASH refuses our static token (reliability review, smaller notes)', () => {
  it('logs one error and opens one coordinator alert at the first 401, keeps the referral retrying, and delivers it once the token is fixed', async () => {
    const lines: Array<{ level: number; msg: string; code?: string }> = [];
    const capture = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const alerts: number[] = [];
    const alert = (status: number) => {
      alerts.push(status);
      // `built` is set before the MASH can first refuse: the pipeline only starts below.
      return createMashCredentialsAlert({ handoffs: built.handoffs, pack, logger })(status);
    };
    const built = await build({ onCredentialsRefused: alert, logger: capture });
    stub.setToken('a-new-token-the-bot-does-not-have-yet');
    await built.service.enqueue(referralEffect('SG-CREDS00001'));
    built.mash.start();
    await waitFor(() => stub.log.filter((l) => l.outcome === 401).length >= 4, 'several refused attempts');
    expect(alerts).toEqual([401]);
    expect(lines.filter((l) => l.code === 'SG-MASH-CREDENTIALS')).toHaveLength(1);
    const day = new Date().toISOString().slice(0, 10);
    const opened = await built.handoffs.get(`mash-credentials-${day}`);
    expect(opened).toMatchObject({ kind: 'mash-credentials', status: 'open', urgency: 'immediate' });
    expect(opened?.summary).toMatch(/refused the safeguarding bot's credentials \(401\).*MASH_API_TOKEN/);
    expect((await built.registry.get('SG-CREDS00001'))?.status).not.toBe('parked');
    expect((await built.outbox.get('SG-CREDS00001'))?.status).toBe('pending');

    stub.setToken(token);
    await waitFor(async () => (await built.registry.get('SG-CREDS00001'))?.status === 'delivered', 'delivered once the token works');
    expect(stub.storedCount('SG-CREDS00001')).toBe(1);
    expect(alerts).toEqual([401]);
  });
});

describe('the MASH files a referral but its answers are lost until the budget runs out (experiment 5f)', () => {
  it('parks it, and the next try is an idempotent replay: the MASH holds it once and the referrer is told once', async () => {
    const built = await build({ retryBudgetHours: 0 });
    stub.inject({ kind: 'lose' }, { kind: 'lose' });
    await built.service.enqueue(referralEffect('SG-LOST000001'));
    built.mash.start();
    built.notices.start();
    await waitFor(async () => (await built.outbox.get('SG-LOST000001'))?.status === 'parked', 'parked');
    expect((await built.registry.get('SG-LOST000001'))?.status).toBe('parked');
    expect(stub.storedCount('SG-LOST000001')).toBe(1);
    expect(await built.mash.probeParked()).toBe(1);
    await waitFor(async () => (await built.registry.get('SG-LOST000001'))?.status === 'delivered', 'delivered by the probe');
    await waitFor(() => deliveredNotices(built.told).length > 0, 'the delivered notice');
    expect(stub.storedCount('SG-LOST000001')).toBe(1);
    expect(stub.log.filter((l) => l.key === 'SG-LOST000001' && l.outcome === 200).length).toBeGreaterThanOrEqual(1);
    expect(deliveredNotices(built.told)).toHaveLength(1);
  });
});

describe('MASH webhook under chaos (experiment 7)', () => {
  it('enforces the ±5 minute window, applies an event sent 3 times in a row and 10 times at once exactly once, and tells the referrer once per event', async () => {
    const built = await build();
    await built.service.enqueue(referralEffect('SG-HOOK000001'));
    built.mash.start();
    built.notices.start();
    await waitFor(async () => (await built.registry.get('SG-HOOK000001'))?.status === 'delivered', 'delivered');
    const post = await webhook(built.service);
    const event = (eventId: string) => ({
      eventId,
      occurredAt: new Date().toISOString(),
      type: 'referral.decision',
      referralId: 'r-7',
      reference: 'MASH-2026-000007',
      clientReference: 'SG-HOOK000001',
      decision: { outcome: 'assessment' },
    });
    const minute = 60_000;
    for (const skew of [10 * minute, -10 * minute, -365 * 24 * 60 * minute, 30 * 24 * 60 * minute]) expect((await post(event('evt-7-window'), skew)).status).toBe(401);
    expect((await built.registry.get('SG-HOOK000001'))?.events).toEqual([]);
    expect((await post(event('evt-7-early'), -4 * minute)).status).toBe(200);
    expect((await post(event('evt-7-late'), 4 * minute)).status).toBe(200);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(((await (await post(event('evt-7-row'))).json()) as { status: string }).status);
    expect(statuses).toEqual(['applied', 'duplicate', 'duplicate']);
    const burst = await Promise.all(Array.from({ length: 10 }, () => post(event('evt-7-burst'))));
    const answers = await Promise.all(burst.map(async (r) => (r.status === 200 ? ((await r.json()) as { status: string }).status : String(r.status))));
    // Copies racing each other may each be answered "applied" (the sighting is written last, F5); what counts is below.
    expect(answers.every((a) => a === 'applied' || a === 'duplicate')).toBe(true);
    expect(((await (await post(event('evt-7-burst'))).json()) as { status: string }).status).toBe('duplicate');
    const ids = (await built.registry.get('SG-HOOK000001'))?.events.map((e) => e.eventId).sort();
    expect(ids).toEqual(['evt-7-burst', 'evt-7-early', 'evt-7-late', 'evt-7-row']);
    // One notice per event applied (4), whatever the number of copies.
    await waitFor(() => built.told.filter((t) => /decided on your referral MASH-2026-000007/.test(t.message.text)).length >= 4, 'the decision notices');
    await new Promise((r) => setTimeout(r, 500));
    expect(built.told.filter((t) => /decided on your referral MASH-2026-000007/.test(t.message.text))).toHaveLength(4);
  });
});
