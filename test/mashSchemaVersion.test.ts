import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  loadDefaultPack,
  marfBodyFieldNames,
  marfChildFieldNames,
  serviceWordsOf,
  type OutgoingMessage,
  type PendingEffect,
  type ReferralBody,
  type ReferralSchemaVersion,
} from '../flows';
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
} from '../integrations';
import { createReferenceMashStore } from '../server/referenceMash/referenceMashStore';
import type { WebSessions } from '../server/auth';
import { createReferralService } from '../server/services';
import { createTabRoutes } from '../server/tabs';
import { referralBody, referralBodyV2, referralBodyV2Marf } from './support/mashFixtures';
import { mashToken, startReferenceMash, startWebhookReceiver, type ReferenceMashHarness, type WebhookReceiver } from './support/referenceMashHarness';
import { tempDataDir } from './support/serviceProcess';

// MASH_SCHEMA_VERSION through the real pieces: the embedded outbox, the delivery worker, the MASH client
// and the embedded reference MASH (which takes both versions), as the service wires them.

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const logger = pino({ level: 'silent' });
const day = 86_400_000;

let webhook: WebhookReceiver;
let mash: ReferenceMashHarness;
beforeEach(async () => {
  webhook = await startWebhookReceiver();
  mash = await startReferenceMash({ webhookUrl: webhook.url });
});
afterEach(async () => {
  await mash.close();
  await webhook.close();
});

async function pipeline(schemaVersion: ReferralSchemaVersion) {
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
  const told: OutgoingMessage[] = [];
  const service = createReferralService({
    mashSchemaVersion: schemaVersion,
    outbox,
    registry,
    handoffs,
    pack: loadDefaultPack(),
    logger,
    notify: async (_reference, message) => {
      told.push(message);
      return true;
    },
  });
  const client = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: mashToken }, timeoutMs: 5000, schemaVersion });
  const worker = createDeliveryWorker({ outbox, client, onDelivered: service.onDelivered, onParked: service.onParked, logger });
  async function file(body: ReferralBody): Promise<void> {
    const effect: PendingEffect<'outbox.enqueue'> = {
      effect: { kind: 'outbox.enqueue', id: body.clientReference, payload: { kind: 'referral', clientReference: body.clientReference, body } },
      actor: { channelId: 'msteams', userId: 'teacher-1' },
      reference: { channelId: 'msteams', conversation: { id: 'conv-1' }, serviceUrl: 'http://127.0.0.1:9/' },
    };
    await service.enqueue(effect);
    await worker.runOnce();
  }
  return { file, service, outbox, handoffs, told, registry, dataDir };
}

const received = async () => (await createReferenceMashStore(mash.dataDir, mash.cipher)).listReferrals(10);

describe('MASH_SCHEMA_VERSION=1: a referral that needs version 2', () => {
  it('is never sent: it is parked, a coordinator gets a handoff, and the referrer is told to phone the Front Door', async () => {
    const p = await pipeline('1');
    const body = referralBodyV2();
    await p.file(body);

    expect(await received()).toEqual([]); // nothing reached the MASH, not even a refused request
    const [record] = await p.outbox.list();
    expect(record).toMatchObject({ clientReference: body.clientReference, status: 'parked' });
    expect(await p.service.listFor('msteams', 'teacher-1')).toMatchObject([{ clientReference: body.clientReference, status: 'parked' }]);

    const [handoff] = await p.handoffs.triaged();
    expect(handoff).toMatchObject({ handoffId: `parked-${body.clientReference}`, kind: 'parked-referral', status: 'open', urgency: 'same-day' });
    expect(handoff.summary).toMatch(/not sent.*version 2.*MASH_SCHEMA_VERSION/);
    expect(handoff.summary).not.toMatch(/Test|belt/); // references, not the child or the concern

    expect(p.told).toHaveLength(1);
    expect(p.told[0].value).toEqual({ type: 'safeguarding.referralFiled', status: 'parked', clientReference: body.clientReference });
    // Both lines, whichever is open at the real time of this run (the open one is named first).
    expect(p.told[0].text).toMatch(new RegExp(`has not been sent.*phone the Front Door now.*(?=.*01452 426565)(?=.*01452 614194).*Quote ${body.clientReference}`));
    expect(p.told[0].text).not.toMatch(/\{\{|schema|version/i); // no raw token, no internal words
  });

  it('still sends a referral that fits version 1, as version 1', async () => {
    const p = await pipeline('1');
    await p.file(referralBody());
    const [referral] = await received();
    expect(referral).toMatchObject({ schemaVersion: '1', categories: ['cse'], screeningCategory: 2 });
    expect(p.told[0].value).toMatchObject({ status: 'delivered' });
  });
});

describe('MASH_SCHEMA_VERSION=2', () => {
  it('sends version 2, which the embedded MASH takes and keeps without a screening', async () => {
    const p = await pipeline('2');
    const body = referralBodyV2({
      concern: { summary: 'Told a teacher an older pupil forced him into a sexual act.', categories: ['child-on-child', 'peer-on-peer'], immediateDanger: false },
    });
    await p.file(body);
    const [referral] = await received();
    expect(referral).toMatchObject({
      schemaVersion: '2',
      categories: ['child-on-child', 'peer-on-peer'],
      consentReason: 'risk-of-harm',
      guidanceVersion: '0.1.0',
      steps: ['mash-today', 'strategy-discussion', 'do-not-tell-parent'],
    });
    expect(referral.screeningCategory).toBeUndefined();
    expect(p.told[0].value).toMatchObject({ status: 'delivered', reference: referral.reference });
  });
});

/** The MARF answers as typed: none may be in plain text in any file the service or the MASH wrote (the stores are encrypted). */
const typedMarf = [
  'Test Parent',
  'Testy',
  'Test Man',
  'AB12 CDE',
  '01632 960003',
  '@test_handle_example',
  'Flat above the takeaway',
  'warn her partner',
  'buy me stuff',
  'EX-0000-TEST',
];
function expectNoTypedMarfUnder(dir: string): void {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const bytes = readFileSync(join(file.parentPath, file.name));
    for (const typed of typedMarf) {
      const found = bytes.includes(typed) || bytes.includes(Buffer.from(typed, 'utf16le'));
      expect({ file: file.name, typed, found }).toEqual({ file: file.name, typed, found: false });
    }
  }
}

/** A referral whose only version 2 need is its MARF answers (issue 21): an exploitation screening, consent reason of version 1. */
const marfOnly = () => {
  const v1 = referralBody();
  return referralBodyV2Marf({ consent: { ...v1.consent, lawfulBasisCodes: ['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36'] } });
};

describe('MARF answers (issue 21)', () => {
  it('MASH_SCHEMA_VERSION=1: sends version 1 without them, keeps them in the referral record and "my referrals", and tells the referrer', async () => {
    const p = await pipeline('1');
    const body = marfOnly();
    await p.file(body);

    const [referral] = await received();
    expect(referral).toMatchObject({ clientReference: body.clientReference, schemaVersion: '1', categories: ['cse'], screeningCategory: 2 });
    expect(referral.marfFields).toBeUndefined();
    const [tracking] = await p.service.listFor('msteams', 'teacher-1');
    expect(tracking).toMatchObject({ status: 'delivered' });
    expect(tracking.notSent).toMatchObject({
      referrer: { availability: body.referrer.availability },
      child: { knownAs: 'Testy', interpreterNeeded: false },
      household: body.household,
      familyAware: 'no',
      reasonNotTold: body.reasonNotTold,
      personsOfConcern: body.personsOfConcern,
      agencyContacts: body.agencyContacts,
      policeReference: 'EX-0000-TEST',
    });
    // The phone number version 1 carries went; otherAgencies (version 1 too) went.
    expect(tracking.notSent?.referrer).not.toHaveProperty('phone');

    expect(p.told).toHaveLength(1);
    expect(p.told[0].value).toMatchObject({ status: 'delivered', reference: referral.reference });
    expect(p.told[0].text).toMatch(/cannot take some of the details you gave yet.*kept with your referral in "my referrals"\. Give them to the MASH when they ask/);

    const mine = await p.service.message('msteams', 'teacher-1');
    expect(mine.text).toContain('Kept here, not sent');
    expect(mine.text).toContain('Household member 1: name: Test Parent; relationship: Mother; age: 38; parental responsibility: yes');
    expect(mine.text).toContain('The family knows about this referral: no');
    expect(mine.text).toContain('Person of concern 1: name: Test Man (known as "T")');
    expect(mine.text).toContain('registration: AB12 CDE');
    expect(mine.text).not.toMatch(/marf-|undefined|\[object/);
    expectNoTypedMarfUnder(p.dataDir);

    // The referrer's downloadable copy, from the tab's API: their own referral only.
    const signedIn = { current: async () => ({ id: 'teacher-1', name: 'Test Teacher' }) } as unknown as WebSessions;
    const app = express().use(createTabRoutes({ sessions: signedIn, words: serviceWordsOf(loadDefaultPack()), sources: p.service, webChatChannelId: 'msteams', logger }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/my-referrals`;
      const rows = (await (await fetch(base)).json()) as { referrals: Array<{ clientReference: string; detailsKept?: boolean }> };
      expect(rows.referrals).toEqual([expect.objectContaining({ clientReference: body.clientReference, detailsKept: true })]);
      const copy = await fetch(`${base}/${body.clientReference}/kept.txt`);
      expect(copy.status).toBe(200);
      expect(copy.headers.get('content-disposition')).toBe(`attachment; filename="${body.clientReference}-details.txt"`);
      const text = await copy.text();
      expect(text).toContain(body.clientReference);
      expect(text).toContain('Household member 2: name: Test Carer');
      expect(text).toContain(`Why the family has not been told: ${body.reasonNotTold}`);
      expect((await fetch(`${base}/SG-SOMEONE-ELSES/kept.txt`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('MASH_SCHEMA_VERSION=1: keeps nothing back (and says nothing is kept) when the phone was the only new answer', async () => {
    const p = await pipeline('1');
    // The sections skipped: a version 2 body whose only MARF answer is the referrer's phone, which version 1 carries.
    const full = marfOnly();
    const { availability: _availability, ...referrer } = full.referrer;
    const body: Record<string, unknown> = { ...full, referrer, child: { ...full.child } };
    for (const name of marfBodyFieldNames) delete body[name];
    for (const name of marfChildFieldNames) delete (body.child as Record<string, unknown>)[name];
    await p.file(body as ReferralBody);

    const [referral] = await received();
    expect(referral).toMatchObject({ schemaVersion: '1' });
    const [tracking] = await p.service.listFor('msteams', 'teacher-1');
    expect(tracking).toMatchObject({ status: 'delivered' });
    expect(tracking.notSent).toBeUndefined();
    expect(p.told[0].text).not.toMatch(/cannot take some/);
    expect((await p.service.message('msteams', 'teacher-1')).text).not.toContain('Kept here, not sent');
  });

  it('MASH_SCHEMA_VERSION=1: still parks a referral with MARF answers that needs version 2 for another reason', async () => {
    const p = await pipeline('1');
    const body = referralBodyV2Marf(); // consent not sought: risk of harm, a version 2 reason
    await p.file(body);
    expect(await received()).toEqual([]);
    const [tracking] = await p.service.listFor('msteams', 'teacher-1');
    expect(tracking).toMatchObject({ status: 'parked' });
    expect(tracking.notSent).toBeUndefined();
  });

  it('MASH_SCHEMA_VERSION=2: sends them, and the embedded MASH keeps which were given', async () => {
    const p = await pipeline('2');
    const body = marfOnly();
    await p.file(body);
    const [referral] = await received();
    expect(referral).toMatchObject({
      schemaVersion: '2',
      familyAware: 'no',
      marfFields: { 'referrer.availability': 1, 'child.knownAs': 1, household: 2, familyAware: 1, personsOfConcern: 1, locations: 1, agencyContacts: 1, policeReference: 1 },
    });
    const [tracking] = await p.service.listFor('msteams', 'teacher-1');
    expect(tracking.notSent).toBeUndefined();
    expect(p.told[0].text).not.toMatch(/cannot take some/);
    expectNoTypedMarfUnder(p.dataDir);
    expectNoTypedMarfUnder(mash.dataDir);
  });
});
