import { expect } from '@jest/globals';
import { parseMashEvent, type ReferralReceipt } from '../flows';
import { createMashClient, verifyMashSignature, type MashClient } from '../integrations';
import { referralBody, referralBodyV2Marf } from './support/mashFixtures';
import { mashToken, pageBrowser, startReferenceMash, startWebhookReceiver, webhookSecret, type ReferenceMashHarness, type WebhookReceiver } from './support/referenceMashHarness';

const now = () => new Date();

describe('reference MASH page (/mash): see what arrived, send signed decision events', () => {
  let webhook: WebhookReceiver;
  let mash: ReferenceMashHarness;
  let client: MashClient;
  let browser: ReturnType<typeof pageBrowser>;
  beforeEach(async () => {
    webhook = await startWebhookReceiver();
    mash = await startReferenceMash({ webhookUrl: webhook.url, now });
    client = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: mashToken } });
    browser = pageBrowser(mash);
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

  async function sendEvent(referralId: string, fields: Record<string, string>): Promise<Response> {
    return browser.post('/mash/events', { csrf: await browser.csrf(), referralId, ...fields });
  }

  it('asks for the token before showing anything, and refuses a wrong one', async () => {
    const body = referralBody();
    await file(body);
    const anonymous = await browser.page();
    expect(anonymous.html).toContain('<label for="token">Access token</label>');
    expect(anonymous.html).not.toContain(body.concern.summary);
    expect((await browser.login('not-the-token')).status).toBe(401);
    expect((await browser.post('/mash/events', { referralId: 'x', type: 'referral.acknowledged' })).status).toBe(401);
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and lists the referral with minimal personal data', async () => {
    const body = referralBody({ urgency: 'immediate' });
    const receipt = await file(body);
    const login = await browser.login(mashToken);
    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const { status, html, headers } = await browser.page();
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('cache-control')).toBe('no-store');
    expect(html).toContain(receipt.reference);
    expect(html).toContain(body.concern.summary);
    expect(html).toContain('<dd>T., aged 13 to 15</dd>');
    expect(html).toContain('immediate');
    expect(html).not.toMatch(/<script/i);
    for (const personal of [body.child.lastName, body.child.dateOfBirth!, body.child.nhsNumber!, body.child.upn!, body.referrer.email, 'GL1 2TG']) {
      expect(html).not.toContain(personal);
    }
  });

  it('takes a version 2 referral with every MARF answer and lists which it received, not what they say', async () => {
    const client2 = createMashClient({ baseUrl: mash.baseUrl, auth: { kind: 'static', token: mashToken }, schemaVersion: '2' });
    const body = referralBodyV2Marf();
    const outcome = await client2.submitReferral(body, body.clientReference);
    expect(outcome).toMatchObject({ kind: 'delivered', status: 201 });
    await browser.login(mashToken);
    const { html } = await browser.page();
    expect(html).toContain('<dt>Family aware of the referral</dt><dd>no</dd>');
    expect(html).toMatch(/<dt>MARF details received<\/dt><dd>[^<]*household \(2\)[^<]*personsOfConcern \(1\)[^<]*agencyContacts \(1\)/);
    for (const typed of ['Test Parent', 'Test Man', 'AB12 CDE', '01632 960003', body.reasonNotTold!, body.childsWords!]) expect(html).not.toContain(typed);
  });

  it('sends a decision as a correctly signed event, shows the delivery, and answers GET with the decision', async () => {
    const receipt = await file();
    await browser.login(mashToken);
    const sent = await sendEvent(receipt.referralId, { type: 'referral.decision', outcome: 'early-help', note: 'Allocated to the early help team.' });
    expect(sent.status).toBe(303);

    expect(webhook.received).toHaveLength(1);
    const [delivery] = webhook.received;
    expect(verifyMashSignature(delivery.raw, delivery.timestamp, delivery.signature, webhookSecret, Date.now())).toEqual({ ok: true });
    expect(verifyMashSignature(delivery.raw, delivery.timestamp, delivery.signature, `${webhookSecret}-tampered`, Date.now())).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyMashSignature(delivery.raw.replace('early-help', 'nfa'), delivery.timestamp, delivery.signature, webhookSecret, Date.now())).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const parsed = parseMashEvent(delivery.raw);
    expect(parsed).toEqual({
      ok: true,
      event: {
        eventId: expect.stringMatching(/^evt-/),
        occurredAt: expect.any(String),
        type: 'referral.decision',
        referralId: receipt.referralId,
        reference: receipt.reference,
        clientReference: expect.any(String),
        decision: { outcome: 'early-help', note: 'Allocated to the early help team.' },
      },
    });
    expect(Object.keys(JSON.parse(delivery.raw) as object)).toEqual(['eventId', 'occurredAt', 'type', 'referralId', 'reference', 'clientReference', 'decision']);

    const page = await browser.page(new URL(sent.headers.get('location')!, mash.origin).search);
    expect(page.html).toContain('webhook answered 200');
    expect(page.html).toMatch(/<p role="status">referral\.decision for MASH-\d{4}-\d{6}: the webhook answered 200\./);
    expect(await client.getReferral(receipt.referralId)).toMatchObject({
      kind: 'delivered',
      body: { status: 'decided', decision: { outcome: 'early-help', note: 'Allocated to the early help team.' } },
    });
  });

  it('sends an acknowledgement and a question per the contract', async () => {
    const receipt = await file();
    await browser.login(mashToken);
    await sendEvent(receipt.referralId, { type: 'referral.acknowledged' });
    expect((await client.getReferral(receipt.referralId)).kind === 'delivered' && (await client.getReferral(receipt.referralId))).toMatchObject({
      body: { status: 'acknowledged' },
    });
    await sendEvent(receipt.referralId, { type: 'referral.info-requested', question: 'Is she living at the address you gave?' });
    const events = webhook.received.map((d) => parseMashEvent(d.raw));
    expect(events).toEqual([
      { ok: true, event: expect.objectContaining({ type: 'referral.acknowledged', referralId: receipt.referralId }) },
      { ok: true, event: expect.objectContaining({ type: 'referral.info-requested', question: 'Is she living at the address you gave?' }) },
    ]);
    expect(JSON.parse(webhook.received[0].raw)).not.toHaveProperty('decision');
    expect(await client.getReferral(receipt.referralId)).toMatchObject({ body: { status: 'info-requested' } });
  });

  it('shows the referrer answer to a question on the page', async () => {
    const receipt = await file();
    await client.postMessage(receipt.referralId, { text: 'She is back at school.', inReplyTo: 'evt-1' }, 'msg-key-00000001');
    await browser.login(mashToken);
    expect((await browser.page()).html).toContain('<q>She is back at school.</q>');
  });

  it('refuses an incomplete decision and a form without its CSRF token, sending nothing', async () => {
    const receipt = await file();
    await browser.login(mashToken);
    expect((await sendEvent(receipt.referralId, { type: 'referral.decision' })).status).toBe(400);
    expect((await sendEvent(receipt.referralId, { type: 'referral.info-requested', question: '   ' })).status).toBe(400);
    expect((await browser.post('/mash/events', { referralId: receipt.referralId, type: 'referral.acknowledged' })).status).toBe(403);
    expect((await browser.post('/mash/events', { csrf: 'forged', referralId: receipt.referralId, type: 'referral.acknowledged' })).status).toBe(403);
    expect(webhook.received).toHaveLength(0);
  });

  it('shows a failed delivery and sends the same event again, freshly signed', async () => {
    const receipt = await file();
    await browser.login(mashToken);
    webhook.answerWith(500);
    await sendEvent(receipt.referralId, { type: 'referral.acknowledged' });
    const failed = await browser.page();
    expect(failed.html).toContain('webhook answered 500');
    const eventId = /name="eventId" value="([^"]+)"/.exec(failed.html)?.[1];
    expect(eventId).toMatch(/^evt-/);

    webhook.answerWith(200);
    const resent = await browser.post('/mash/events/resend', { csrf: await browser.csrf(), referralId: receipt.referralId, eventId: eventId! });
    expect(resent.status).toBe(303);
    expect(webhook.received).toHaveLength(2);
    expect(webhook.received[1].raw).toBe(webhook.received[0].raw);
    const { raw, timestamp, signature } = webhook.received[1];
    expect(verifyMashSignature(raw, timestamp, signature, webhookSecret, Date.now())).toEqual({ ok: true });
    const after = await browser.page();
    expect(after.html).toContain('webhook answered 200');
    expect(after.html).not.toContain('name="eventId"');
  });

  it('escapes a concern summary containing markup', async () => {
    const body = referralBody();
    body.concern.summary = 'Said "<script>alert(1)</script>" & left with an older man.';
    await file(body);
    await browser.login(mashToken);
    const { html } = await browser.page();
    expect(html).toContain('Said &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; left with an older man.');
    expect(html).not.toContain('<script>');
  });

  it('signs out', async () => {
    await browser.login(mashToken);
    const out = await browser.post('/mash/logout', { csrf: await browser.csrf() });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/reference_mash_session=;/);
  });
});
