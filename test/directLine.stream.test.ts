import { WebSocket } from 'ws';
import { Activity } from '@microsoft/agents-activity';
import { z } from 'zod';
import { activitySet } from './support/activities';
import { postedAnswer, startDirectLineServer, upgradeStatus, type DirectLineServer } from './support/directLineServer';
import { frameText } from './support/frameText';
import { bodyAs, jsonAs } from './support/json';

let server: DirectLineServer;

beforeAll(async () => {
  server = await startDirectLineServer({ keepAliveMs: 50, catchUpMs: 0 });
});
afterAll(async () => {
  await server.close();
});

interface Frame {
  raw: string;
  set?: z.infer<typeof activitySet>;
}

/** A raw socket on a stream URL that records every frame and how it closed. */
function openStream(url: string) {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => {
    const raw = frameText(data);
    frames.push({ raw, set: raw ? jsonAs(raw, activitySet, 'a stream frame') : undefined });
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const sets = () => frames.flatMap((f) => (f.set ? [f.set] : []));
  async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms: ${JSON.stringify(frames.map((f) => f.raw.slice(0, 80)))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { ws, frames, sets, opened, closed, waitFor, activities: () => sets().flatMap((s) => s.activities) };
}

async function reconnectUrl(conversationId: string, token: string, watermark?: number): Promise<string> {
  const query = watermark === undefined ? '' : `?watermark=${watermark}`;
  const res = await fetch(`${server.domain}/conversations/${conversationId}${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await bodyAs(res, z.looseObject({ streamUrl: z.string() }))).streamUrl;
}

describe('stream tickets (pen test L2)', () => {
  it('opens one socket, once: the same stream URL again is refused with 403 and the live socket stays', async () => {
    const { streamUrl } = await server.startConversation({ id: 'pro-t1' });
    const first = openStream(streamUrl);
    await first.opened;
    expect(await upgradeStatus(streamUrl)).toBe(403);
    expect(first.ws.readyState).toBe(WebSocket.OPEN);
    first.ws.close();
  });

  it('lives 30 seconds', async () => {
    const { streamUrl } = await server.startConversation({ id: 'pro-t2' });
    const claims = jsonAs(
      Buffer.from((new URL(streamUrl).searchParams.get('t') ?? '').split('.')[1], 'base64url').toString(),
      z.looseObject({ exp: z.number(), iat: z.number() }),
      'the ticket',
    );
    expect(claims.exp - claims.iat).toBe(30);
  });
});

describe('the Direct Line WebSocket stream', () => {
  it("replays the transcript on open, sends empty keep-alives and ignores the client's", async () => {
    const { streamUrl } = await server.startConversation({ id: 'pro-s1' });
    const s = openStream(streamUrl);
    await s.opened;
    await s.waitFor(() => s.activities().some((a) => a.value?.id === 'menu'), 'replayed menu question');
    expect(s.sets()[0].watermark).toBe(String(s.activities().length));
    s.ws.send(''); // what the official client sends every 20 s
    await s.waitFor(() => s.frames.filter((f) => f.raw === '').length >= 2, 'keep-alive frames');
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
  });

  it('replays only what is after the watermark in the stream URL', async () => {
    const { conversationId, token } = await server.startConversation({ id: 'pro-s2' });
    const s = openStream(await reconnectUrl(conversationId, token, 1));
    await s.waitFor(() => s.sets().length > 0, 'replay');
    expect(s.sets()[0].activities[0].id).toBe(`${conversationId}|0000002`);
    s.ws.close();
  });

  it('keeps one socket per conversation: the newer takes over and the older is closed with 4000 "replaced by a newer connection"', async () => {
    const { conversationId, token, streamUrl } = await server.startConversation({ id: 'pro-s3' });
    const older = openStream(streamUrl);
    await older.opened;
    const newer = openStream(await reconnectUrl(conversationId, token));
    await newer.opened;
    expect(await older.closed).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
    await newer.waitFor(() => newer.activities().some((a) => a.value?.id === 'menu'), 'replay on the newer socket');

    // Live delivery goes to the newer socket: the echo first, then the replies.
    const res = await fetch(`${server.domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'help', channelData: { clientActivityID: 'c-9' } }),
    });
    const { id } = await bodyAs(res, postedAnswer);
    await newer.waitFor(() => newer.activities().some((a) => /Pick what you need/.test(a.text ?? '')), 'help reply');
    const delivered = newer.activities();
    const echoAt = delivered.findIndex((a) => a.id === id);
    expect(echoAt).toBeGreaterThan(-1);
    expect(echoAt).toBeLessThan(delivered.findIndex((a) => /Pick what you need/.test(a.text ?? '')));
    expect(newer.activities().find((a) => a.id === id)?.channelData).toEqual({ clientActivityID: 'c-9' });
    expect(server.directLine.openSockets).toBe(1);
    newer.ws.close();
  });

  it('delivers typing indicators over the socket without storing them', async () => {
    const { conversationId, token, streamUrl } = await server.startConversation({ id: 'pro-s4' });
    const s = openStream(streamUrl);
    await s.waitFor(() => s.activities().some((a) => a.value?.id === 'menu'), 'replay');
    const reference = {
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      channelId: 'webchat',
      serviceUrl: 'urn:test',
      bot: { id: 'safeguarding-bot', name: 'Safeguarding bot' },
      user: { id: 'pro-s4', name: '' },
    };
    await server.directLine.adapter.continueConversation({ aud: '' }, reference, async (context) => {
      await context.sendActivity(new Activity('typing'));
      await context.sendActivity('An update on your referral.');
    });
    await s.waitFor(() => s.activities().some((a) => a.text === 'An update on your referral.'), 'proactive message');
    const typingFrame = s.sets().find((set) => set.activities[0]?.type === 'typing');
    expect(typingFrame).toBeDefined();
    expect(typingFrame?.watermark).toBeUndefined();
    const page = await bodyAs(await fetch(`${server.domain}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } }), activitySet);
    expect(page.activities.some((a) => a.type === 'typing')).toBe(false);
    expect(page.activities.at(-1)).toMatchObject({ text: 'An update on your referral.', from: { id: 'safeguarding-bot' }, recipient: { id: 'pro-s4' } });
    s.ws.close();
  });

  it('closes its sockets on close(), so clients reconnect to another instance', async () => {
    const other = await startDirectLineServer({ shared: server.shared });
    const { streamUrl } = await other.startConversation({ id: 'pro-s5' });
    const s = openStream(streamUrl);
    await s.opened;
    await other.close();
    expect(await s.closed).toEqual({ code: 1001, reason: 'going away' });
  });
});
