import { expect } from '@jest/globals';
import { createMashClient, type MashClient } from '../integrations';
import { intelligenceBody, referralBody } from './support/mashFixtures';
import { startMashStub, type MashStub } from './support/mashStub';

const oauth = { clientId: 'bot', clientSecret: 'client-secret' };

describe('MASH client against the contract stub', () => {
  let stub: MashStub;
  let client: MashClient;
  beforeEach(async () => {
    stub = await startMashStub({ token: 'static-token', oauth });
    client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token: 'static-token' }, timeoutMs: 2000 });
  });
  afterEach(() => stub.close());

  it('files a referral (201); the same key and body again is a replay (200, same answer)', async () => {
    const body = referralBody();
    const first = await client.submitReferral(body, body.clientReference);
    expect(first).toMatchObject({ kind: 'delivered', status: 201, body: { status: 'received' } });
    const again = await client.submitReferral(body, body.clientReference);
    expect(again).toMatchObject({ kind: 'delivered', status: 200 });
    expect(again.kind === 'delivered' && first.kind === 'delivered' && again.body).toEqual(first.kind === 'delivered' && first.body);
    expect(stub.storedCount(body.clientReference)).toBe(1);
  });

  it('is refused (422, permanent) when a key is reused for a different body', async () => {
    const body = referralBody();
    await client.submitReferral(body, body.clientReference);
    const other = { ...body, urgency: 'immediate' as const };
    expect(await client.submitReferral(other, body.clientReference)).toMatchObject({ kind: 'permanent', status: 422 });
  });

  it('reads a 400 problem+json with its errors as permanent', async () => {
    stub.inject({ kind: 'status', status: 400, errors: [{ path: 'child.upn', message: 'fails the UPN check letter' }] });
    const body = referralBody();
    expect(await client.submitReferral(body, body.clientReference)).toEqual({
      kind: 'permanent',
      status: 400,
      reason: 'the MASH found the request invalid (400): child.upn',
      errors: [{ path: 'child.upn', message: 'fails the UPN check letter' }],
    });
  });

  it('does not send a body that breaks the contract', async () => {
    const body = referralBody({ urgency: 'whenever' as never });
    expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('urgency') });
    expect(stub.log).toEqual([]);
  });

  it('classifies 503 and 429 with Retry-After (seconds or date), 500, drops and timeouts as retryable', async () => {
    const body = referralBody();
    const date = new Date(Date.now() + 120_000).toUTCString();
    stub.inject(
      { kind: 'status', status: 503, retryAfter: '3' },
      { kind: 'status', status: 429, retryAfter: date },
      { kind: 'status', status: 500 },
      { kind: 'drop' },
      { kind: 'hang', ms: 2500 },
    );
    const send = () => client.submitReferral(body, body.clientReference);
    expect(await send()).toEqual({ kind: 'retryable', status: 503, reason: 'the MASH answered 503', retryAfterMs: 3000 });
    const limited = await send();
    expect(limited.kind === 'retryable' && limited.retryAfterMs).toBeGreaterThan(100_000);
    expect(await send()).toMatchObject({ kind: 'retryable', status: 500 });
    expect(await send()).toMatchObject({ kind: 'retryable', reason: expect.stringMatching(/could not reach the MASH/) });
    expect(await send()).toEqual({ kind: 'retryable', reason: 'no answer from the MASH in time' });
  });

  it('reads a referral, posts a message to it and posts intelligence', async () => {
    const body = referralBody();
    const filed = await client.submitReferral(body, body.clientReference);
    if (filed.kind !== 'delivered') throw new Error('not filed');
    expect(await client.getReferral(filed.body.referralId)).toMatchObject({ kind: 'delivered', body: { reference: filed.body.reference, status: 'received' } });
    expect(await client.getReferral('unknown')).toMatchObject({ kind: 'permanent', status: 404 });
    expect(await client.postMessage(filed.body.referralId, { text: 'She is safe at home now.', inReplyTo: 'evt-1' }, 'answer-000001')).toMatchObject({
      kind: 'delivered',
      status: 201,
    });
    const intel = intelligenceBody();
    expect(await client.postIntelligence(intel, intel.clientReference)).toMatchObject({ kind: 'delivered', status: 201 });
  });
});

describe('MASH client with OAuth2 client credentials', () => {
  let stub: MashStub;
  afterEach(() => stub.close());

  it('fetches one token for many calls, and a new one shortly before it expires', async () => {
    stub = await startMashStub({ oauth: { ...oauth, expiresIn: 600 } });
    let now = Date.now();
    const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'oauth2', tokenUrl: stub.tokenUrl, ...oauth }, now: () => now });
    for (let i = 0; i < 3; i++) {
      const body = referralBody();
      expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'delivered' });
    }
    expect(stub.tokenRequests()).toBe(1);
    now += 541_000; // past the refresh point of a ten-minute token, still within its life at the stub
    const body = referralBody();
    expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'delivered' });
    expect(stub.tokenRequests()).toBe(2);
  });

  it('on a 401 fetches a new token once and repeats the request', async () => {
    stub = await startMashStub({ oauth });
    const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'oauth2', tokenUrl: stub.tokenUrl, ...oauth } });
    const first = referralBody();
    await client.submitReferral(first, first.clientReference);
    stub.unauthorisedOnce();
    const body = referralBody();
    expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'delivered', status: 201 });
    expect(stub.tokenRequests()).toBe(2);
    expect(stub.storedCount(body.clientReference)).toBe(1);
  });

  it('gives up after one refresh: a second 401 is retryable, not a loop', async () => {
    stub = await startMashStub({ oauth });
    const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'oauth2', tokenUrl: stub.tokenUrl, ...oauth } });
    stub.inject({ kind: 'status', status: 401 }, { kind: 'status', status: 401 });
    const body = referralBody();
    expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'retryable', status: 401 });
    expect(stub.tokenRequests()).toBe(2);
  });

  it('reports wrong client credentials as retryable (an operator fixes them; the referral waits)', async () => {
    stub = await startMashStub({ oauth });
    const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'oauth2', tokenUrl: stub.tokenUrl, clientId: 'bot', clientSecret: 'wrong' } });
    const body = referralBody();
    expect(await client.submitReferral(body, body.clientReference)).toMatchObject({ kind: 'retryable', status: 401, reason: expect.stringMatching(/token endpoint/) });
    expect(stub.log).toEqual([]);
  });
});
