import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

/**
 * At least 10,000 generated malformed requests across every entry point: none may get a 5xx, crash the
 * service or grow its memory without bound, and every answer is a clear 4xx (or 2xx when the generated
 * input happens to be valid). Add a route by adding a target below.
 */
// Ten thousand requests take about a minute on a quiet 2-core machine; the limit only catches a hang, so it
// leaves room for a loaded CI machine (speed targets live in the bench, not here).
jest.setTimeout(600_000);

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface Target {
  name: string;
  arbitrary: (ctx: Context) => fc.Arbitrary<Probe>;
}
interface Context {
  connectorUrl: string;
  token: string;
  conversationId: string;
  staff: Record<string, string>;
}

const nasty = fc.constantFrom(
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202eevil',
  '\u200b\u200d\ufeff',
  '𝕋𝕖𝕤𝕥',
  '%',
  '%zz',
  '${jndi:x}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '',
);
const text = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 64 }), fc.string({ maxLength: 5000 }), fc.constant('x'.repeat(70_000)));
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')),
);
/** An object with some of the expected fields, each maybe of the wrong type or missing. */
const shaped = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .record(fields, { requiredKeys: [] })
    .chain((known) => fc.dictionary(fc.oneof(nasty, fc.string({ maxLength: 10 })), value, { maxKeys: 3 }).map((extra) => ({ ...extra, ...known })));
const body = (object: fc.Arbitrary<unknown>) =>
  fc.oneof(
    object.map((o) => JSON.stringify(o)),
    text,
    fc.constantFrom('{', '{"type":', '[]', 'null', '1e999999', '{"a":1,}', '\u0000{}', '{"__proto__":{"x":1}}'),
  );
/** Encodes a path segment; a lone surrogate cannot be, so it goes as bytes that are not valid UTF-8. */
const segment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
const headerValue = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 }), fc.constant(''));
const json = { 'content-type': 'application/json' };

const activity = (ctx: Context) =>
  shaped({
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'invoke', 'typing', 'event'), value),
    channelId: fc.oneof(fc.constantFrom('emulator', 'msteams', 'directline'), value),
    serviceUrl: fc.oneof(fc.constant(ctx.connectorUrl), value),
    conversation: fc.oneof(shaped({ id: fc.oneof(fc.constant('fuzz-1'), text), tenantId: value }), value),
    from: fc.oneof(shaped({ id: text, name: text, aadObjectId: text }), value),
    // Well-formed now and then: the Agents SDK's schema refuses an activity whose accounts or lists have the
    // wrong type (400), so without these no probe would reach a turn.
    recipient: fc.oneof(shaped({ id: text }), value),
    text,
    value,
    name: fc.oneof(fc.constant('adaptiveCard/action'), text),
    membersAdded: fc.oneof(fc.constant([]), value),
    attachments: fc.oneof(fc.constant([]), value),
  });

/**
 * A well-formed message with hostile text and value: the Agents SDK's schema refuses most of `activity`'s
 * shapes before a turn (400), so these are what reach the bot's own parsing.
 */
const message = (ctx: Context) =>
  fc.record({
    type: fc.constant('message'),
    channelId: fc.constantFrom('emulator', 'msteams'),
    serviceUrl: fc.constant(ctx.connectorUrl),
    conversation: fc.constant({ id: 'fuzz-1' }),
    from: fc.constant({ id: 'fuzz-user' }),
    recipient: fc.constant({ id: 'bot' }),
    text,
    value,
  });

const targets: Target[] = [
  {
    name: '/api/messages',
    arbitrary: (ctx) =>
      fc.record({ method: fc.constant('POST'), path: fc.constant('/api/messages'), headers: fc.constant(json), body: body(fc.oneof(activity(ctx), message(ctx))) }),
  },
  {
    name: 'Direct Line: start conversation',
    arbitrary: () =>
      fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/v3/directline/conversations'),
        headers: headerValue.map((h) => ({ ...json, authorization: `Bearer ${h}` })),
        body: body(value),
      }),
  },
  {
    name: 'Direct Line: post activity',
    arbitrary: (ctx) =>
      fc.record({
        method: fc.constant('POST'),
        path: fc.oneof(fc.constant(ctx.conversationId), text).map((id) => `/v3/directline/conversations/${segment(id)}/activities`),
        headers: fc.oneof(fc.constant(ctx.token), headerValue).map((t) => ({ ...json, authorization: `Bearer ${t}` })),
        body: body(shaped({ type: fc.oneof(fc.constant('message'), value), from: fc.oneof(shaped({ id: text }), value), text, value, attachments: value })),
      }),
  },
  {
    name: 'Direct Line: poll and refresh',
    arbitrary: (ctx) =>
      fc.record({
        method: fc.constantFrom('GET', 'POST'),
        path: fc.tuple(fc.oneof(fc.constant(ctx.conversationId), text), text).map(([id, w]) => `/v3/directline/conversations/${segment(id)}/activities?watermark=${segment(w)}`),
        headers: fc.oneof(fc.constant(ctx.token), headerValue).map((t) => ({ authorization: `Bearer ${t}` })),
      }),
  },
  {
    name: 'MASH webhook',
    arbitrary: () =>
      fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/api/mash/events'),
        headers: fc.tuple(headerValue, headerValue).map(([ts, sig]) => ({ ...json, 'x-mash-timestamp': ts, 'x-mash-signature': sig })),
        body: body(shaped({ id: text, type: value, referralId: text, occurredAt: value, data: value })),
      }),
  },
  {
    name: 'sign-in form',
    arbitrary: () =>
      fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/signin'),
        headers: fc.constant({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: fc.dictionary(fc.oneof(fc.constantFrom('name', 'role', 'organisation', 'email', 'localRoles', 'returnTo'), nasty), text, { maxKeys: 6 }).map((fields) => {
          const p = new URLSearchParams();
          for (const [k, v] of Object.entries(fields)) p.append(k, v.replace(/[\ud800-\udfff]/g, '\ufffd'));
          return p.toString();
        }),
      }),
  },
  // The coordinator board's actions, as a signed-in coordinator from this site, so inputs reach the checks past the role gate.
  {
    name: 'board form action',
    arbitrary: (ctx) =>
      fc.record({
        method: fc.constant('POST'),
        path: fc
          .tuple(fc.oneof(fc.constant('SGH-000000000001'), text), fc.oneof(fc.constantFrom('claim', 'ask', 'close'), text))
          .map(([id, verb]) => `/coordinator/handoffs/${segment(id)}/${segment(verb)}`),
        headers: fc.constant({ ...ctx.staff, 'content-type': 'application/x-www-form-urlencoded' }),
        body: fc.dictionary(fc.oneof(fc.constant('question'), nasty), text, { maxKeys: 3 }).map((fields) => {
          const p = new URLSearchParams();
          for (const [k, v] of Object.entries(fields)) p.append(k, v.replace(/[\ud800-\udfff]/g, '\ufffd'));
          return p.toString();
        }),
      }),
  },
  {
    name: 'board JSON action',
    arbitrary: (ctx) =>
      fc.record({
        method: fc.constant('POST'),
        path: fc
          .tuple(fc.oneof(fc.constant('SGH-000000000001'), text), fc.oneof(fc.constantFrom('claim', 'ask', 'close'), text))
          .map(([id, verb]) => `/api/handoffs/${segment(id)}/${segment(verb)}`),
        headers: fc.constant({ ...ctx.staff, ...json }),
        body: body(shaped({ question: fc.oneof(text, value) })),
      }),
  },
  {
    name: 'board and insight reads',
    arbitrary: (ctx) =>
      fc.record({
        method: fc.constant('GET'),
        path: fc
          .tuple(fc.constantFrom('/coordinator?notice=', '/api/handoffs?x=', '/insights?from=', '/api/insights?from=', '/insights/export.csv?to=', '/api/my-referrals?x='), text)
          .map(([route, q]) => `${route}${segment(q)}`),
        headers: fc.oneof(
          fc.constant(ctx.staff),
          headerValue.map((t) => ({ ...ctx.staff, authorization: `Bearer ${t}` })),
        ),
      }),
  },
];

let service: ServiceProcess;
let connector: FakeConnector;
let ctx: Context;

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startService({
    DATA_DIR: tempDataDir(),
    STATE_ENCRYPTION_KEY: testKey(),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '1000000',
    RATE_LIMIT_SIGNIN_PER_MINUTE: '1000000',
  });
  const { token, conversationId } = await webChatToken(service.url, await signInLocally(service.url));
  const staffCookie = await signInLocally(service.url, { ...testTeacher, name: 'Test Coordinator', localRoles: ['coordinator', 'partnership-lead'] });
  ctx = { connectorUrl: connector.url, token, conversationId, staff: { cookie: staffCookie, origin: service.url, 'sec-fetch-site': 'same-origin' } };
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/**
 * The status, or 0 when the server closed the connection instead of answering twice in a row. One retry:
 * a pooled keep-alive socket can be closed by the server just as the client reuses it (a client-side race
 * fetch does not retry for POST); a request that really breaks the server fails the retry too.
 */
async function send(probe: Probe, retry = true): Promise<number> {
  try {
    const res = await fetch(`${service.url}${probe.path}`, {
      method: probe.method,
      headers: probe.headers,
      body: probe.method === 'GET' ? undefined : probe.body,
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    if (retry && /other side closed|ECONNRESET/.test(String((error as Error).cause))) return send(probe, false);
    return 0;
  }
}

it('answers 10,000+ malformed requests with clear 4xx (or 2xx), never a 5xx, a crash or unbounded memory', async () => {
  const perTarget = Math.ceil(10_000 / targets.length);
  const probes = targets.flatMap((t) => fc.sample(t.arbitrary(ctx), { numRuns: perTarget, seed: 9 }).map((p) => ({ target: t.name, ...p })));
  expect(probes.length).toBeGreaterThanOrEqual(10_000);
  const warmup = rssKb(service.child.pid!);
  const bad: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < probes.length; i += 24) {
    const batch = probes.slice(i, i + 24);
    const statuses = await Promise.all(batch.map((probe) => send(probe)));
    statuses.forEach((status, j) => {
      seen.add(`${batch[j].target} ${status}`);
      if (status >= 500 || status < 200 || (status >= 300 && status < 400 && !['sign-in form', 'board form action', 'board and insight reads'].includes(batch[j].target)))
        bad.push(`${batch[j].target} ${batch[j].method} ${batch[j].path.slice(0, 80)} → ${status}`);
    });
  }
  expect(bad.slice(0, 10)).toEqual([]);
  // The inputs reach the checks they aim at: refused bodies, bad signatures, bad tokens, oversized bodies, some valid turns.
  const found = [...seen];
  expect(found).toEqual(
    expect.arrayContaining([
      '/api/messages 400',
      '/api/messages 413',
      '/api/messages 200',
      'MASH webhook 401',
      'Direct Line: post activity 403',
      'sign-in form 400',
      'board form action 303',
      'board form action 404',
      'board JSON action 400',
      'board JSON action 404',
      'board and insight reads 200',
    ]),
  );
  expect(service.child.exitCode).toBeNull();
  expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  // Generous: a leak over 10,000 requests with 70 kB bodies would be far beyond this.
  expect(rssKb(service.child.pid!) - warmup).toBeLessThan(200 * 1024);
});
