import { createHmac, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { expect } from '@jest/globals';
import { createLogger } from '../server';
import { activitySet } from './support/activities';
import { bodyOf, postedAnswer, startDirectLineServer, startedAnswer, tokenAnswer, upgradeStatus, type DirectLineServer } from './support/directLineServer';
import { anyObject, bodyAs, jsonAs, problemBody } from './support/json';

let server: DirectLineServer;
let clock = Date.parse('2026-03-02T10:00:00Z');

beforeAll(async () => {
  server = await startDirectLineServer({ now: () => clock, rateLimit: { limit: 5, windowMs: 10_000 } });
});
afterAll(async () => {
  await server.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

function getActivities(conversationId: string, headers: Record<string, string> = {}) {
  return fetch(`${server.domain}/conversations/${conversationId}/activities`, { headers });
}

function postMessage(conversationId: string, token: string, body: unknown = { type: 'message', text: 'help' }) {
  return fetch(`${server.domain}/conversations/${conversationId}/activities`, { method: 'POST', headers: { ...bearer(token), ...json }, body: JSON.stringify(body) });
}

function payloadOf(token: string): Record<string, unknown> {
  return jsonAs(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'), anyObject, 'the token payload');
}

describe('Direct Line tokens', () => {
  it('binds a token to its conversation: A on B is 403, on HTTP and on the stream', async () => {
    const a = await server.startConversation({ id: 'pro-a', name: 'A' });
    const b = await server.startConversation({ id: 'pro-b', name: 'B' });
    expect((await getActivities(a.conversationId, bearer(a.token))).status).toBe(200);
    const cross = await getActivities(b.conversationId, bearer(a.token));
    expect(cross.status).toBe(403);
    expect(cross.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await bodyOf(cross)).toMatchObject({ status: 403, code: 'SG-DL-FORBIDDEN', detail: 'The token belongs to another conversation.' });
    expect((await postMessage(b.conversationId, a.token)).status).toBe(403);
    expect((await fetch(`${server.domain}/conversations/${b.conversationId}`, { headers: bearer(a.token) })).status).toBe(403);

    const streamOfA = new URL(a.streamUrl);
    const aOnB = `${streamOfA.origin.replace('http', 'ws')}/v3/directline/conversations/${b.conversationId}/stream${streamOfA.search}`;
    expect(await upgradeStatus(aOnB)).toBe(403);
    expect(await upgradeStatus(a.streamUrl)).toBe(101);
    expect(await upgradeStatus(a.streamUrl.replace(/\?t=[^&]+/, ''))).toBe(401);
    // A bearer token is not a stream ticket (and vice versa): each is good for its own purpose only.
    expect(await upgradeStatus(a.streamUrl.replace(/\?t=[^&]+/, `?t=${a.token}`))).toBe(403);
    const ticket = new URL(a.streamUrl).searchParams.get('t') ?? '';
    expect((await getActivities(a.conversationId, bearer(ticket))).status).toBe(403);
  });

  it('carries the professional in the bearer token but only ids in the stream ticket', async () => {
    const started = await server.startConversation({ id: 'pro-c', name: 'Casey Example', role: 'GP', organisation: 'Test Surgery', email: 'casey@example.org' });
    expect(payloadOf(started.token)).toMatchObject({
      sub: 'pro-c',
      conv: started.conversationId,
      name: 'Casey Example',
      role: 'GP',
      org: 'Test Surgery',
      email: 'casey@example.org',
    });
    expect(started.expires_in).toBe(1800);
    const ticket = new URL(started.streamUrl).searchParams.get('t') ?? '';
    expect(ticket).not.toMatch(/Casey|casey/);
    expect(Buffer.from(ticket.split('.')[1], 'base64url').toString()).not.toMatch(/Casey|casey|Surgery/);
  });

  it('refuses an expired token with 403, and a refreshed one works', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-d' });
    clock += 29 * 60_000;
    const refreshed = await fetch(`${server.domain}/tokens/refresh`, { method: 'POST', headers: bearer(token) });
    expect(refreshed.status).toBe(200);
    const { token: fresh } = await bodyAs(refreshed, tokenAnswer);
    clock += 2 * 60_000; // the first token is now 31 minutes old
    const expired = await getActivities(conversationId, bearer(token));
    expect(expired.status).toBe(403);
    expect((await bodyAs(expired, problemBody)).detail).toMatch(/expired/);
    expect((await fetch(`${server.domain}/tokens/refresh`, { method: 'POST', headers: bearer(token) })).status).toBe(403);
    expect((await getActivities(conversationId, bearer(fresh))).status).toBe(200);
  });

  it('refuses forged tokens with 403', async () => {
    const a = await server.startConversation({ id: 'pro-e' });
    const b = await server.startConversation({ id: 'pro-f' });
    const [header, , signature] = a.token.split('.');
    const rebound = Buffer.from(JSON.stringify({ ...payloadOf(a.token), conv: b.conversationId })).toString('base64url');
    const otherKey = (body: string) => `${body}.${createHmac('sha256', randomBytes(32)).update(body).digest('base64url')}`;
    const forgeries = [
      `${header}.${rebound}.${signature}`, // payload changed, signature kept
      otherKey(`${header}.${rebound}`), // signed with a key that is not ours
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${rebound}.`,
      'not-a-token',
    ];
    for (const forged of forgeries) expect((await getActivities(b.conversationId, bearer(forged))).status).toBe(403);
  });

  it('answers 401 without credentials, everywhere', async () => {
    const { conversationId } = await server.startConversation();
    const none = await getActivities(conversationId);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await bodyOf(none)).toMatchObject({ code: 'SG-DL-UNAUTHENTICATED' });
    expect((await fetch(`${server.domain}/conversations`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${server.domain}/tokens/generate`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${server.domain}/tokens/refresh`, { method: 'POST' })).status).toBe(401);
  });

  it('generates tokens only with the secret, and binds the identity it is given', async () => {
    const { token } = await server.startConversation({ id: 'pro-g' });
    expect((await fetch(`${server.domain}/tokens/generate`, { method: 'POST', headers: bearer(token) })).status).toBe(403);
    const wrong = await fetch(`${server.domain}/tokens/generate`, { method: 'POST', headers: bearer('s3cret-but-not-ours') });
    expect(wrong.status).toBe(403);
    const bad = await fetch(`${server.domain}/tokens/generate`, {
      method: 'POST',
      headers: { ...bearer(server.shared.secret), ...json },
      body: JSON.stringify({ user: { id: 'x', email: 'not an email' } }),
    });
    expect(bad.status).toBe(400);
    expect(await bodyOf(bad)).toMatchObject({ code: 'SG-HTTP-BAD-REQUEST', detail: 'user.email: must be an email address' });
    const anonymous = await server.generateToken();
    expect(payloadOf(anonymous.token).sub).toMatch(/^dl-/);
    // The secret never works where a token is expected: it must stay on the server.
    expect((await getActivities(anonymous.conversationId, bearer(server.shared.secret))).status).toBe(403);
  });
});

describe('Direct Line token lifetime (pen test M2)', () => {
  it("refreshes only up to the session's maximum age (12 h by default): the chain ends, whatever is refreshed", async () => {
    const signedInAt = clock;
    const started = await server.startConversation({ id: 'pro-m2' });
    const { conversationId } = started;
    let { token } = started;
    let lastExpiresIn = 0;
    for (let refreshes = 0; clock + 29 * 60_000 < signedInAt + 12 * 3600_000; refreshes++) {
      clock += 29 * 60_000;
      const res = await fetch(`${server.domain}/tokens/refresh`, { method: 'POST', headers: bearer(token) });
      expect(res.status).toBe(200);
      ({ token, expires_in: lastExpiresIn } = await bodyAs(res, tokenAnswer));
    }
    // The last token expires with the session, not 30 minutes after it was refreshed.
    expect(Number(payloadOf(token).exp) * 1000).toBeLessThanOrEqual(signedInAt + 12 * 3600_000);
    expect(lastExpiresIn).toBeLessThan(1800);
    expect((await getActivities(conversationId, bearer(token))).status).toBe(200);
    clock = signedInAt + 12 * 3600_000;
    const refused = await fetch(`${server.domain}/tokens/refresh`, { method: 'POST', headers: bearer(token) });
    expect(refused.status).toBe(403);
    expect((await getActivities(conversationId, bearer(token))).status).toBe(403);
  });
});

describe('Direct Line requests', () => {
  it('refuses uploads and attachments politely with 415', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-h' });
    const upload = await fetch(`${server.domain}/conversations/${conversationId}/upload?userId=pro-h`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--x--\r\n',
    });
    expect(upload.status).toBe(415);
    expect(upload.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await bodyOf(upload)).toMatchObject({ status: 415, code: 'SG-DL-UNSUPPORTED-MEDIA', detail: expect.stringMatching(/cannot take files.*describe what you need/) });
    const attached = await postMessage(conversationId, token, { type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'blob:x' }] });
    expect(attached.status).toBe(415);
  });

  it('validates posted activities with a clear 400', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-i' });
    const wrongType = await postMessage(conversationId, token, { type: 'invoke', name: 'x' });
    expect(wrongType.status).toBe(400);
    expect(await bodyOf(wrongType)).toMatchObject({ code: 'SG-HTTP-BAD-REQUEST', detail: 'type: type must be "message", "event" or "typing"' });
    const empty = await postMessage(conversationId, token, { type: 'message' });
    expect((await bodyAs(empty, problemBody)).detail).toBe('a message needs text or a value');
    const long = await postMessage(conversationId, token, { type: 'message', text: 'x'.repeat(4001) });
    expect((await bodyAs(long, problemBody)).detail).toBe('text: text must be at most 4000 characters');
  });

  it("forces from.id to the token's professional", async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-j', name: 'Jo' });
    const res = await postMessage(conversationId, token, { type: 'message', text: 'help', from: { id: 'someone-else', name: 'Mallory' } });
    const { id } = await bodyAs(res, postedAnswer);
    const page = await bodyAs(await getActivities(conversationId, bearer(token)), activitySet);
    const echo = page.activities.find((a) => a.id === id);
    expect(echo?.from).toEqual({ id: 'pro-j', name: 'Jo', role: 'user' });
    expect(echo?.serviceUrl).toBeUndefined();
    expect(echo?.recipient).toMatchObject({ id: 'safeguarding-bot', role: 'bot' });
  });

  it('limits posts per token with 429 and Retry-After', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-k' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postMessage(conversationId, token, { type: 'typing' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]); // starting the conversation was the first of five
    const limited = await postMessage(conversationId, token);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await bodyOf(limited)).toMatchObject({ status: 429, code: 'SG-DL-RATE-LIMITED' });
    // Polling has its own allowance (and is never refused: the official client would stop for good on an error).
    expect((await getActivities(conversationId, bearer(token))).status).toBe(200);
    clock += 11_000;
    expect((await postMessage(conversationId, token)).status).toBe(200);
  });

  it('answers 404 for a conversation that was never started', async () => {
    const { conversationId, token } = await server.generateToken({ id: 'pro-l' });
    expect((await getActivities(conversationId, bearer(token))).status).toBe(404);
    expect((await postMessage(conversationId, token)).status).toBe(404);
  });
});

describe('Direct Line input bounds and per-professional limits (pen test M1)', () => {
  let limited: DirectLineServer;
  beforeAll(async () => {
    limited = await startDirectLineServer({
      now: () => clock,
      rateLimit: { limit: 100, windowMs: 10_000 },
      userRateLimit: { limit: 4, windowMs: 60_000 },
      pollRateLimit: { limit: 3, windowMs: 10_000 },
    });
  });
  afterAll(async () => {
    await limited.close();
  });
  const postTo = (target: DirectLineServer, conversationId: string, token: string, body: unknown) =>
    fetch(`${target.domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { ...bearer(token), ...json },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('refuses a body over 64 kB with 413 (the app-wide 256 kB parser no longer runs first)', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-m1a' });
    const big = await postTo(server, conversationId, token, { type: 'message', text: 'x', value: { blob: 'A'.repeat(70_000) } });
    expect(big.status).toBe(413);
    expect(await bodyOf(big)).toMatchObject({ code: 'SG-HTTP-BODY-TOO-LARGE', detail: 'The limit is 64 kB.' });
  });

  it('bounds value (8 kB, 8 levels) with a clear 400, never a 5xx for deep nesting', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-m1b' });
    const large = await postTo(server, conversationId, token, { type: 'message', value: { blob: 'A'.repeat(9000) } });
    expect(large.status).toBe(400);
    expect((await bodyAs(large, problemBody)).detail).toBe('value: value must be at most 8 kB');
    const deep = await postTo(server, conversationId, token, `{"type":"message","value":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    expect(deep.status).toBe(400);
    expect((await bodyAs(deep, problemBody)).detail).toBe('value: value must be at most 8 levels deep');
  });

  it('stores only the normalised activity: channelData keeps the echo id alone, entities and unknown fields are dropped', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-m1c' });
    const res = await postTo(server, conversationId, token, {
      type: 'message',
      text: 'help',
      channelData: { clientActivityID: 'c-1', stash: 'A'.repeat(20_000) },
      entities: [{ type: 'ClientCapabilities', blob: 'B'.repeat(20_000) }],
      extra: { nested: 'C'.repeat(5000) },
    });
    expect(res.status).toBe(200);
    const { id } = await bodyAs(res, postedAnswer);
    const echo = (await bodyAs(await getActivities(conversationId, bearer(token)), activitySet)).activities.find((a) => a.id === id);
    expect(echo?.channelData).toEqual({ clientActivityID: 'c-1' });
    expect(echo?.entities).toBeUndefined();
    expect(echo?.extra).toBeUndefined();
    expect(JSON.stringify(echo).length).toBeLessThan(1000);
  });

  it('limits posts per professional across conversations, not only per token', async () => {
    const one = await limited.startConversation({ id: 'pro-m1d' }); // starting counts as a post
    const two = await limited.startConversation({ id: 'pro-m1d' });
    expect((await postTo(limited, one.conversationId, one.token, { type: 'typing' })).status).toBe(200);
    expect((await postTo(limited, two.conversationId, two.token, { type: 'typing' })).status).toBe(200);
    const over = await postTo(limited, two.conversationId, two.token, { type: 'typing' });
    expect(over.status).toBe(429);
    expect(await bodyOf(over)).toMatchObject({ code: 'SG-DL-RATE-LIMITED' });
    // Someone else is not affected.
    const other = await limited.startConversation({ id: 'pro-m1e' });
    expect((await postTo(limited, other.conversationId, other.token, { type: 'typing' })).status).toBe(200);
  });

  it('limits polls per token: past the allowance an empty page with Retry-After (the official client stops for good on a 429)', async () => {
    const { conversationId, token } = await limited.startConversation({ id: 'pro-m1f' });
    const pages = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${limited.domain}/conversations/${conversationId}/activities?watermark=0`, { headers: bearer(token) });
      pages.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await bodyAs(res, activitySet) });
    }
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(pages[2].body.activities.length).toBeGreaterThan(0);
    expect(pages[3].body).toEqual({ activities: [], watermark: '0' });
    expect(Number(pages[3].retryAfter)).toBeGreaterThanOrEqual(1);
    clock += 11_000;
    const later = await bodyAs(await fetch(`${limited.domain}/conversations/${conversationId}/activities?watermark=0`, { headers: bearer(token) }), activitySet);
    expect(later.activities.length).toBeGreaterThan(0);
  });
});

describe('Direct Line and personal data', () => {
  it('starts a conversation with the secret, binding the identity in the body (or none)', async () => {
    const start = (body: unknown) => fetch(`${server.domain}/conversations`, { method: 'POST', headers: { ...bearer(server.shared.secret), ...json }, body: JSON.stringify(body) });
    // What the official client posts when it was given the secret and no user id.
    const anonymous = await start({ user: {} });
    expect(anonymous.status).toBe(201);
    expect(payloadOf((await bodyAs(anonymous, startedAnswer)).token).sub).toMatch(/^dl-/);
    const named = await bodyAs(await start({ user: { id: 'pro-m', name: 'Morgan' } }), startedAnswer);
    expect(payloadOf(named.token)).toMatchObject({ sub: 'pro-m', name: 'Morgan', conv: named.conversationId });
  });

  it('logs ids and counts only: no names, emails, message text or tokens, even at trace level', async () => {
    let output = '';
    const sink = new Writable({ write: (chunk, _encoding, done) => ((output += String(chunk)), done()) });
    const logged = await startDirectLineServer({ logger: createLogger('trace', sink) });
    try {
      const { conversationId, token, streamUrl } = await logged.startConversation({
        id: 'pro-n',
        name: 'Nerys Uniquename',
        email: 'nerys@example.org',
        organisation: 'Uniqueorg School',
      });
      const ws = new WebSocket(streamUrl);
      await new Promise((resolve) => ws.on('open', resolve));
      const post = (text: string) =>
        fetch(`${logged.domain}/conversations/${conversationId}/activities`, {
          method: 'POST',
          headers: { ...bearer(token), ...json },
          body: JSON.stringify({ type: 'message', text }),
        });
      await post('Who can I call?');
      await post('Child called Uniquechild Example, born 01/02/2015');
      await getActivities(conversationId, bearer('forged.token.value'));
      ws.close();
    } finally {
      await logged.close();
    }
    expect(output).toMatch(/"conversation":"[0-9a-f]{40}"/); // something was logged, by storage key
    expect(output).not.toMatch(/Nerys|Uniquename|nerys@example|Uniqueorg|Uniquechild|Who can I call|forged\.token/);
  });
});
