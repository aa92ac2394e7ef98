import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { referralAnswers, until } from './support/referralAnswers';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

// Issue 22 item 5: traces leave the service for an operator's collector, so nothing in them may name a
// child, a referrer, a conversation or a credential. The service runs as `npm start` runs it, exporting
// OTLP/JSON to a collector on loopback; a whole referral is filed and delivered to the MASH.

const mashToken = 'mash-token-TraceSecret-0123456789';
const queryToken = 'qs-token-TraceSecret-9f8e7d';
const conversationId = 'conv-TraceConversation-4c1d';
const user = { id: 'user-TraceReferrer-77aa', name: 'Test Professional Tracewell' };

const attribute = z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) });
const otlpSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.number(),
  attributes: z.array(attribute).default([]),
});
const otlpExport = z.object({
  resourceSpans: z.array(z.object({ scopeSpans: z.array(z.object({ spans: z.array(otlpSpan) })) })),
});
type OtlpSpan = z.infer<typeof otlpSpan>;
const SERVER = 2;
const CLIENT = 3;

/** An OTLP/HTTP JSON collector on loopback that keeps every request body as received. */
async function startCollector(): Promise<{ url: string; bodies: string[]; close(): Promise<void>; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, bodies, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const spansOf = (bodies: string[]): OtlpSpan[] => bodies.flatMap((body) => otlpExport.parse(JSON.parse(body)).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};
/** Redis spans, under the current database semantic conventions or the older ones. */
const isRedis = (span: OtlpSpan) => (attr(span, 'db.system.name') ?? attr(span, 'db.system')) === 'redis';

/** One turn as a channel sends it, with a token in the query string that must not reach a span. */
async function say(service: ServiceProcess, connector: FakeConnector, activity: Record<string, unknown>, n: number) {
  const res = await fetch(`${service.url}/api/messages?token=${queryToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: `act-TraceActivity-${n}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      from: user,
      recipient: { id: 'bot', name: 'Safeguarding bot' },
      conversation: { id: conversationId },
      timestamp: new Date().toISOString(),
      ...activity,
    }),
  });
  expect(res.status).toBe(200);
}

describeWithRedis('traces (OTLP to a loopback collector)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let stub: MashStub;
  let connector: FakeConnector;
  const prefix = uniquePrefix();
  let spans: OtlpSpan[] = [];
  let raw = '';
  let secrets: string[] = [];

  beforeAll(async () => {
    collector = await startCollector();
    stub = await startMashStub({ token: mashToken });
    connector = await startFakeConnector();
    const service = await startService({
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: prefix,
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: mashToken,
      MASH_WEBHOOK_SECRET: 'test-webhook-secret-0123456789abcdefghij',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    let clientReference: string | undefined;
    try {
      let n = 0;
      await say(service, connector, { type: 'conversationUpdate', membersAdded: [user, { id: 'bot' }] }, ++n);
      for (const text of [...referralAnswers, 'Submit']) await say(service, connector, { type: 'message', text }, ++n);
      const delivered = await until(
        () => connector.forConversation(conversationId).find((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered'),
        'the referral delivered to the MASH',
      );
      clientReference = String(delivered.value?.clientReference);
    } finally {
      await service.stop(); // SIGTERM: the service exports what it still holds before exiting
    }
    const answer = stub.answerFor(clientReference) as { referralId: string; reference: string };
    spans = spansOf(collector.bodies);
    raw = collector.bodies.join('\n');
    secrets = [
      conversationId,
      user.id,
      user.name,
      queryToken,
      mashToken,
      'act-TraceActivity',
      clientReference,
      answer.referralId,
      answer.reference,
      '9434765919',
      '943 476 5919',
      '14/03/2012',
      'gl1 2tg',
      'test.teacher@example.org',
      'older boyfriend',
      'Test School',
    ];
  }, 180_000);

  afterAll(async () => {
    await collector.close();
    await stub.close();
    await connector.close();
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('exports spans of the turns and of the MASH delivery', () => {
    expect(spans.filter((s) => s.kind === SERVER && s.name === 'POST /api/messages').length).toBe(referralAnswers.length + 2);
    expect(spans.some((s) => s.name === 'MASH submitReferral')).toBe(true);
  });

  it('carries no id, token, name, personal detail or message text, in any name, attribute or event', () => {
    expect(secrets.filter((secret) => secret.length < 6)).toEqual([]); // each is specific enough to mean something if found
    const exported = raw.toLowerCase();
    expect(secrets.filter((secret) => exported.includes(secret.toLowerCase()))).toEqual([]);
  });

  it('names routes by their template, never with a query string', () => {
    const server = spans.filter((s) => s.kind === SERVER);
    expect(server.map((s) => attr(s, 'http.route'))).toContain('/api/messages');
    expect(raw).not.toContain('?token');
  });

  it('records Redis commands by name only', () => {
    const redisSpans = spans.filter(isRedis);
    expect(redisSpans.length).toBeGreaterThan(0);
    for (const span of redisSpans) expect(String(attr(span, 'db.query.text') ?? attr(span, 'db.statement'))).toMatch(/^[a-z]+$/i);
  });

  it('makes each turn one trace: the channel request, the store and the reply to the channel', () => {
    const turns = spans.filter((s) => s.kind === SERVER && s.name === 'POST /api/messages');
    expect(new Set(turns.map((t) => t.traceId)).size).toBe(turns.length);
    const traces = turns.map((turn) => spans.filter((s) => s.traceId === turn.traceId));
    for (const trace of traces) {
      expect(trace.some(isRedis)).toBe(true); // the conversation store
      expect(trace.some((s) => s.kind === CLIENT && !isRedis(s))).toBe(true); // the replies to the connector
      expect(trace.filter((s) => !s.parentSpanId)).toHaveLength(1); // every other span hangs under the request
    }
  });

  it('gives a MASH delivery a trace of its own, tagged with the operation, with the intake request inside it', () => {
    const delivery = spans.find((s) => s.name === 'MASH submitReferral')!;
    expect(attr(delivery, 'safeguarding.mash.operation')).toBe('submitReferral');
    expect(attr(delivery, 'safeguarding.mash.outcome')).toBe('delivered');
    const turnTraces = new Set(spans.filter((s) => s.name === 'POST /api/messages').map((s) => s.traceId));
    expect(turnTraces.has(delivery.traceId)).toBe(false);
    const inside = spans.filter((s) => s.traceId === delivery.traceId && s.parentSpanId === delivery.spanId);
    expect(inside.some((s) => s.kind === CLIENT && attr(s, 'http.request.method') === 'POST')).toBe(true);
  });
});
