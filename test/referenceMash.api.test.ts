import { expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferralReceipt } from '../flows';
import { createMashClient, type MashClient } from '../integrations';
import { intelligenceBody, referralBody, referralBodyV2, referralBodyV2Marf } from './support/mashFixtures';
import { mashToken, startReferenceMash, startWebhookReceiver, type ReferenceMashHarness, type WebhookReceiver } from './support/referenceMashHarness';

let clock = new Date('2026-03-01T09:30:00Z');
const now = () => clock;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('reference MASH intake API (/mash/v1) driven by the project MASH client', () => {
  let webhook: WebhookReceiver;
  let mash: ReferenceMashHarness;
  let client: MashClient;
  beforeEach(async () => {
    clock = new Date('2026-03-01T09:30:00Z');
    webhook = await startWebhookReceiver();
    mash = await startReferenceMash({ webhookUrl: webhook.url, now });
    client = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: mashToken }, timeoutMs: 5000 });
  });
  afterEach(async () => {
    await mash.close();
    await webhook.close();
  });

  async function file(body = referralBody()): Promise<ReferralReceipt> {
    const outcome = await client.submitReferral(body, body.clientReference);
    if (outcome.kind !== 'delivered') throw new TypeError(`not filed: ${outcome.reason}`);
    return outcome.body;
  }

  it('files a referral (201) with a MASH-<year>-<sequence> reference', async () => {
    const body = referralBody();
    const outcome = await client.submitReferral(body, body.clientReference);
    expect(outcome).toEqual({
      kind: 'delivered',
      status: 201,
      body: { referralId: expect.any(String), reference: 'MASH-2026-000001', status: 'received', receivedAt: '2026-03-01T09:30:00.000Z' },
    });
    expect((await file()).reference).toBe('MASH-2026-000002');
  });

  it('replays the same key and body (200, the same answer), even with its keys in another order', async () => {
    const body = referralBody();
    const first = await client.submitReferral(body, body.clientReference);
    const again = await client.submitReferral(body, body.clientReference);
    expect(again).toEqual({ ...first, status: 200 });
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
    expect(await client.submitReferral(reordered, body.clientReference)).toEqual({ ...first, status: 200 });
    expect((await file()).reference).toBe('MASH-2026-000002'); // nothing was filed by the replays
  });

  it('files concurrent retries of one key exactly once', async () => {
    const body = referralBody();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => client.submitReferral(body, body.clientReference)));
    expect(outcomes.filter((o) => o.kind === 'delivered' && o.status === 201)).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    const answers = new Set(outcomes.map((o) => (o.kind === 'delivered' ? JSON.stringify(o.body) : '')));
    expect(answers.size).toBe(1);
  });

  it('refuses a key reused for a different body (422)', async () => {
    const body = referralBody();
    await file(body);
    const changed = { ...body, urgency: 'immediate' as const };
    expect(await client.submitReferral(changed, body.clientReference)).toMatchObject({ kind: 'permanent', status: 422 });
  });

  it('answers an invalid body 400 problem+json naming fields, never quoting values', async () => {
    const body = { ...referralBody(), child: { ...referralBody().child, nhsNumber: '9434765918' }, concern: undefined };
    const response = await fetch(`${mash.baseUrl}/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mashToken}`, 'content-type': 'application/json', 'idempotency-key': body.clientReference },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await response.text();
    const problem = JSON.parse(text) as { status: number; errors: Array<{ path: string; message: string }> };
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['child.nhsNumber', 'concern']);
    expect(text).not.toContain('9434765918');
  });

  describe('the MARF fields of version 2 (issue 21), over HTTP', () => {
    const post = (body: { clientReference: string }) =>
      fetch(`${mash.baseUrl}/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mashToken}`, 'content-type': 'application/json', 'idempotency-key': body.clientReference },
        body: JSON.stringify(body),
      });

    it.each([
      ['version 1', () => referralBody()],
      ['version 2, minimal', () => referralBodyV2()],
      ['version 2 with every MARF field', () => referralBodyV2Marf()],
    ])('takes %s (201)', async (_name, make) => {
      expect((await post(make())).status).toBe(201);
    });

    it.each([
      ['the family not told, with no reason', () => ({ ...referralBodyV2Marf(), reasonNotTold: undefined }), 'reasonNotTold', /required when familyAware is "no"/],
      [
        'a household member with both a date of birth and an age',
        () => referralBodyV2Marf({ household: [{ name: 'Test Parent', relationship: 'Mother', dateOfBirth: '1988-01-01', ageYears: 38 }] }),
        'household.0.ageYears',
        /not both/,
      ],
      ['a MARF field in a version 1 body', () => ({ ...referralBody(), familyAware: 'yes' }), '(body)', /Unrecognized key: "familyAware"/],
    ])('refuses %s (400), naming the field and the rule', async (_name, make, path, message) => {
      const body = make();
      const response = await post(body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: Array<{ path: string; message: string }> };
      expect(problem.errors).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
    });
  });

  it('answers 400 without an Idempotency-Key, and for a body that is not JSON', async () => {
    const headers = { authorization: `Bearer ${mashToken}`, 'content-type': 'application/json' };
    const noKey = await fetch(`${mash.baseUrl}/referrals`, { method: 'POST', headers, body: JSON.stringify(referralBody()) });
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { errors: Array<{ path: string }> }).errors[0].path).toBe('(header) Idempotency-Key');
    const notJson = await fetch(`${mash.baseUrl}/intelligence`, { method: 'POST', headers: { ...headers, 'idempotency-key': 'intel-12345678' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('answers 401 without the bearer token or with another one', async () => {
    const body = referralBody();
    const none = await fetch(`${mash.baseUrl}/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': body.clientReference },
      body: JSON.stringify(body),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: 'not-the-token' } });
    // The client treats a 401 as retryable (an operator fixes a token); what matters here is the MASH refused.
    expect(await wrong.submitReferral(body, body.clientReference)).toMatchObject({ status: 401 });
    expect(await wrong.getReferral('anything')).toMatchObject({ status: 401 });
  });

  it('answers GET /referrals/{id} with the status, and 404 for an unknown id', async () => {
    const receipt = await file();
    expect(await client.getReferral(receipt.referralId)).toEqual({
      kind: 'delivered',
      status: 200,
      body: { referralId: receipt.referralId, reference: receipt.reference, status: 'received' },
    });
    expect(await client.getReferral('no-such-referral')).toMatchObject({ kind: 'permanent', status: 404 });
  });

  it('takes the referrer messages (201, replay 200, 404 for an unknown referral)', async () => {
    const receipt = await file();
    const message = { text: 'She is staying with her aunt.', inReplyTo: 'evt-0001' };
    const first = await client.postMessage(receipt.referralId, message, 'msg-key-00000001');
    expect(first).toMatchObject({ kind: 'delivered', status: 201, body: { messageId: expect.any(String), receivedAt: '2026-03-01T09:30:00.000Z' } });
    expect(await client.postMessage(receipt.referralId, message, 'msg-key-00000001')).toEqual({ ...first, status: 200 });
    expect(await client.postMessage(receipt.referralId, { text: 'Something else' }, 'msg-key-00000001')).toMatchObject({ kind: 'permanent', status: 422 });
    expect(await client.postMessage('no-such-referral', message, 'msg-key-00000002')).toMatchObject({ kind: 'permanent', status: 404 });
  });

  it('takes partnership intelligence (201, replay 200, 422 on a changed body)', async () => {
    const body = intelligenceBody();
    const first = await client.postIntelligence(body, body.clientReference);
    expect(first).toMatchObject({ kind: 'delivered', status: 201, body: { intelligenceId: expect.any(String) } });
    expect(await client.postIntelligence(body, body.clientReference)).toEqual({ ...first, status: 200 });
    expect(await client.postIntelligence({ ...body, summary: 'A different account of what was seen.' }, body.clientReference)).toMatchObject({ status: 422 });
  });

  it('numbers references from 1 again in a new year', async () => {
    await file();
    clock = new Date('2027-01-01T00:00:01Z');
    expect((await file()).reference).toBe('MASH-2027-000001');
  });

  it('keeps referrals, answers and the sequence across a restart on the same DATA_DIR', async () => {
    const body = referralBody();
    const first = await file(body);
    await mash.close();
    mash = await startReferenceMash({ webhookUrl: webhook.url, now, dataDir: mash.dataDir, cipher: mash.cipher });
    client = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: mashToken } });
    expect(await client.getReferral(first.referralId)).toMatchObject({ kind: 'delivered', body: { reference: first.reference, status: 'received' } });
    expect(await client.submitReferral(body, body.clientReference)).toEqual({ kind: 'delivered', status: 200, body: first });
    expect((await file()).reference).toBe('MASH-2026-000002');
  });

  it('stores nothing readable under DATA_DIR/reference-mash, and logs nothing personal', async () => {
    const body = referralBody();
    await file(body);
    const files = filesUnder(join(mash.dataDir, 'reference-mash'));
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      for (const secret of [body.concern.summary, body.child.lastName, body.clientReference, 'MASH-2026']) expect(text).not.toContain(secret);
    }
    for (const personal of [body.concern.summary, body.child.firstName, body.referrer.email]) expect(mash.logs()).not.toContain(personal);
  });
});
