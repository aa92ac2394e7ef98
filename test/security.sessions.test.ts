import { expect } from '@jest/globals';
import { WebSocket } from 'ws';
import { anyObject, jsonAs } from './support/json';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, webChatToken } from './support/webSignIn';

jest.setTimeout(60_000);

/**
 * Pen test M2: a Direct Line token refreshed every 29 minutes lived forever and outlived sign-out, and a
 * copied session cookie worked for 8 hours after it. Tokens and cookies now carry the session id and the
 * sign-in time; sign-out revokes the id for every instance (Redis here), and nothing outlives
 * SESSION_MAX_HOURS (that part: test/directLine.security.test.ts and server/webchat/session.test.ts).
 */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const payloadOf = (token: string) => jsonAs(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'), anyObject, 'the token payload');

const signOut = (url: string, cookie: string) => fetch(`${url}/signout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
const poll = (url: string, conversationId: string, token: string) => fetch(`${url}/v3/directline/conversations/${conversationId}/activities`, { headers: bearer(token) });
const refresh = (url: string, token: string) => fetch(`${url}/v3/directline/tokens/refresh`, { method: 'POST', headers: bearer(token) });

describe('sign-out ends the session everywhere (embedded store)', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('tokens carry the session id and sign-in time; after sign-out the token, its refresh and the copied cookie are refused', async () => {
    const cookie = await signInLocally(service.url);
    const { token, conversationId } = await webChatToken(service.url, cookie);
    expect(payloadOf(token)).toMatchObject({ sid: expect.stringMatching(/^[\w-]{16,}$/), auth_time: expect.any(Number) });
    const started = await fetch(`${service.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token) });
    expect(started.status).toBe(201);
    expect((await poll(service.url, conversationId, token)).status).toBe(200);
    const refreshed = await refresh(service.url, token);
    expect(refreshed.status).toBe(200);
    const { token: second } = (await refreshed.json()) as { token: string };
    expect(payloadOf(second)).toMatchObject({ sid: payloadOf(token).sid, auth_time: payloadOf(token).auth_time });

    expect((await signOut(service.url, cookie)).status).toBe(303);

    for (const t of [token, second]) {
      const res = await poll(service.url, conversationId, t);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'SG-DL-FORBIDDEN', detail: 'The sign-in this token came from has ended: sign in again.' });
      expect((await refresh(service.url, t)).status).toBe(403);
    }
    expect((await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${service.url}/`, { redirect: 'manual', headers: { cookie } })).headers.get('location')).toBe('/signin');
    // Signing in again is a new session, unaffected.
    const again = await signInLocally(service.url);
    expect((await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { cookie: again } })).status).toBe(200);
  });

  it('closes an open Direct Line stream when its sign-in ends, saying why (the page does not keep receiving after sign-out)', async () => {
    const cookie = await signInLocally(service.url);
    const { token } = await webChatToken(service.url, cookie);
    const started = await fetch(`${service.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token) });
    const { streamUrl } = (await started.json()) as { streamUrl: string };
    const ws = new WebSocket(streamUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect((await signOut(service.url, cookie)).status).toBe(303);
    // Within one catch-up tick (1.5 s), whichever instance signed it out.
    expect(await closed).toEqual({ code: 4001, reason: 'signed out' });
  });

  it('applies the Direct Line 64 kB body limit in the real app (pen test M1), not the app-wide 256 kB', async () => {
    const { token, conversationId } = await webChatToken(service.url, await signInLocally(service.url));
    await fetch(`${service.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token) });
    const res = await fetch(`${service.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x', value: { blob: 'A'.repeat(100_000) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'SG-HTTP-BODY-TOO-LARGE', detail: 'The limit is 64 kB.' });
  });
});

describeWithRedis('sign-out on one instance is seen by another (Redis)', () => {
  const prefix = uniquePrefix();
  let a: ServiceProcess;
  let b: ServiceProcess;
  beforeAll(async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix };
    [a, b] = await Promise.all([startInProcess(env), startInProcess({ ...env, DATA_DIR: tempDataDir() })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('a token and a cookie from A are refused on B once the professional signs out on A', async () => {
    const cookie = await signInLocally(a.url);
    const { token, conversationId } = await webChatToken(a.url, cookie);
    expect((await fetch(`${b.url}/v3/directline/conversations`, { method: 'POST', headers: bearer(token) })).status).toBe(201);
    expect((await poll(b.url, conversationId, token)).status).toBe(200);
    expect((await fetch(`${b.url}/webchat/token`, { method: 'POST', headers: { cookie } })).status).toBe(200);
    await signOut(a.url, cookie);
    expect((await poll(b.url, conversationId, token)).status).toBe(403);
    expect((await refresh(b.url, token)).status).toBe(403);
    expect((await fetch(`${b.url}/webchat/token`, { method: 'POST', headers: { cookie } })).status).toBe(401);
  });
});
