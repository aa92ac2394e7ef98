import { WebSocket } from 'ws';
import type { Redis } from 'ioredis';
import { createRedisTranscriptWakeups, storageKeyOf, type TranscriptWakeups } from '../integrations';
import { bodyOf, sharedSetup, startDirectLineServer, type DirectLineServer } from './support/directLineServer';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';

/**
 * Issue 20 item 1: "no page stops receiving without saying so". When the service ends a stream (a newer page
 * took the conversation, here or on another instance; the conversation is gone), the last thing on the socket
 * is an event naming why, which the web chat page turns into its notice; then the close frame.
 */
interface StreamActivity {
  id?: string;
  type?: string;
  name?: string;
  text?: string;
  value?: { id?: string; reason?: string };
}

function openStream(url: string) {
  const ws = new WebSocket(url);
  const activities: StreamActivity[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data: Buffer) => {
    const raw = data.toString();
    if (raw) activities.push(...(JSON.parse(raw) as { activities: StreamActivity[] }).activities);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, activities, opened, closed };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The official client's reconnect (`GET /conversations/:id`): a new stream URL for the same conversation, with this token. */
async function reconnect(server: DirectLineServer, conversationId: string, token: string): Promise<string> {
  const res = await fetch(`${server.domain}/conversations/${conversationId}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await bodyOf(res)) as { streamUrl: string }).streamUrl;
}

const ended = (reason: string) => ({ type: 'event', name: 'safeguarding.streamEnded', value: { reason }, from: { id: 'safeguarding-bot', role: 'bot' } });
const menuShown = (s: ReturnType<typeof openStream>) => s.activities.some((a) => a.value?.id === 'menu');

describe('a stream the service ends says why, last', () => {
  let server: DirectLineServer;
  beforeAll(async () => {
    server = await startDirectLineServer({ keepAliveMs: 10_000, catchUpMs: 50 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('replaced by a newer page: "replaced", then 4000; the newer page hears nothing of it, and the event is never stored', async () => {
    const { conversationId, token, streamUrl } = await server.startConversation({ id: 'pro-e1' });
    const older = openStream(streamUrl);
    await until(() => menuShown(older), 'the replay on the older socket');
    const newer = openStream(await reconnect(server, conversationId, token));
    expect(await older.closed).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
    expect(older.activities.at(-1)).toMatchObject(ended('replaced'));
    await until(() => menuShown(newer), 'the replay on the newer socket');
    expect(newer.activities.some((a) => a.type === 'event')).toBe(false);
    const stored = (await bodyOf(await fetch(`${server.domain}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } }))) as {
      activities: StreamActivity[];
    };
    expect(stored.activities.some((a) => a.type === 'event')).toBe(false);
    newer.ws.close();
  });

  it('the conversation gone (expired, or erased): "conversation-ended", then 1000', async () => {
    const { conversationId, streamUrl } = await server.startConversation({ id: 'pro-e2' });
    const s = openStream(streamUrl);
    await until(() => menuShown(s), 'the replay');
    await server.transcripts.erase(conversationId);
    expect(await s.closed).toEqual({ code: 1000, reason: 'conversation ended' });
    expect(s.activities.at(-1)).toMatchObject(ended('conversation-ended'));
  });

  it('the sign-in ended (signed out anywhere, or past SESSION_MAX_HOURS): "signed-out", then 4001', async () => {
    const clock = { now: Date.now() };
    const timed = await startDirectLineServer({ keepAliveMs: 10_000, catchUpMs: 50, sessionMaxMs: 60_000, now: () => clock.now });
    try {
      const { streamUrl } = await timed.startConversation({ id: 'pro-e3' });
      const s = openStream(streamUrl);
      await until(() => menuShown(s), 'the replay');
      clock.now += 61_000;
      expect(await s.closed).toEqual({ code: 4001, reason: 'signed out' });
      expect(s.activities.at(-1)).toMatchObject(ended('signed-out'));
    } finally {
      await timed.close();
    }
  });
});

describeWithRedis('one stream per conversation across instances (Redis)', () => {
  const prefix = uniquePrefix();
  const connections: Redis[] = [];
  const wakeups: TranscriptWakeups[] = [];
  const servers: DirectLineServer[] = [];
  const wakeupsOn = () => {
    const redis = newRedis();
    connections.push(redis);
    const made = createRedisTranscriptWakeups({ redis, keyPrefix: prefix });
    wakeups.push(made);
    return made;
  };

  beforeAll(async () => {
    const shared = sharedSetup();
    // Two instances: the same transcripts (one DATA_DIR) and token key, wake-ups over one Redis.
    servers.push(await startDirectLineServer({ shared, keepAliveMs: 10_000, catchUpMs: 100, wakeups: wakeupsOn() }));
    servers.push(await startDirectLineServer({ shared, keepAliveMs: 10_000, catchUpMs: 100, wakeups: wakeupsOn() }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(wakeups.map((w) => w.close()));
    await deleteByPrefix(connections[0], prefix);
    await Promise.all(connections.map((c) => c.quit()));
  });

  it("a page opening the stream on the second instance replaces the first instance's, which says so; later messages reach the newer page only", async () => {
    const [a, b] = servers;
    const { conversationId, token, streamUrl } = await a.startConversation({ id: 'pro-x1' });
    const onA = openStream(streamUrl);
    await until(() => menuShown(onA), 'the replay on instance A');
    // SUBSCRIBE is asynchronous: instance A listens for its conversation before B opens a stream.
    const channel = `${prefix}dl-wake:{${storageKeyOf(conversationId)}}`;
    await until(async () => Number(((await connections[0].pubsub('NUMSUB', channel)) as [string, number])[1]) > 0, 'instance A subscribed');

    const onB = openStream(await reconnect(b, conversationId, token));
    expect(await onA.closed).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
    expect(onA.activities.at(-1)).toMatchObject(ended('replaced'));
    await until(() => menuShown(onB), 'the replay on instance B');

    // A proactive message (a coordinator's question, say) appended through instance A reaches the page on B.
    const reference = {
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      channelId: 'webchat',
      serviceUrl: 'urn:test',
      bot: { id: 'safeguarding-bot', name: 'Safeguarding bot' },
      user: { id: 'pro-x1', name: '' },
    };
    await a.directLine.adapter.continueConversation({ aud: '' }, reference, async (context) => {
      await context.sendActivity('A CSE coordinator asks a question.');
    });
    await until(() => onB.activities.some((x) => x.text === 'A CSE coordinator asks a question.'), 'the question on instance B');
    expect(onB.ws.readyState).toBe(WebSocket.OPEN);
    onB.ws.close();
  });
});
