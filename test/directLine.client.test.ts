import { isQuestion, officialClient, textMatches, type ReceivedActivity } from './support/directLineClient';
import { activitySet } from './support/activities';
import { bodyOf, startDirectLineServer, tokenAnswer, type DirectLineServer } from './support/directLineServer';
import { bodyAs } from './support/json';

const professional = { id: 'pro-1', name: 'Test Professional', role: 'Designated safeguarding lead', organisation: 'Test Primary School', email: 'dsl@example.org' };
const welcome = /I help professionals who are worried about a child/;
const adviceReply = /Emergency Duty Team.*01452 614194/s;

let server: DirectLineServer;
const clients: Array<ReturnType<typeof officialClient>> = [];
function client(options: Parameters<typeof officialClient>[0]) {
  const c = officialClient({ domain: server.domain, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startDirectLineServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.end();
});
afterAll(async () => {
  await server.close();
});

/** Joins, gets the welcome and the menu, answers "Who can I call?" by text and gets the advice. */
async function joinAndAskForAdvice(c: ReturnType<typeof officialClient>) {
  const menu = await c.waitFor(isQuestion('menu'), 'menu question');
  expect(c.received.find(textMatches(welcome))).toBeDefined();
  expect(menu.value).toMatchObject({ type: 'safeguarding.question', id: 'menu', expects: 'choice' });
  expect(menu.suggestedActions?.actions).toContainEqual({ type: 'imBack', title: 'Who can I call?', value: 'Who can I call?' });

  const id = await c.post({ type: 'message', text: 'Who can I call?', channelData: { clientActivityID: 'client-1' } });
  const echo = await c.waitFor((a) => a.channelData?.clientActivityID === 'client-1', 'echo of the message');
  const advice = await c.waitFor(textMatches(adviceReply), 'advice reply');
  return { id, echo, advice };
}

function expectEcho(echo: ReceivedActivity, id: string, received: ReceivedActivity[], advice: ReceivedActivity) {
  expect(echo.id).toBe(id);
  expect(echo).toMatchObject({ type: 'message', text: 'Who can I call?', channelId: 'webchat', from: { id: 'pro-1', name: 'Test Professional', role: 'user' } });
  expect(typeof (echo as { timestamp?: string }).timestamp).toBe('string');
  // The echo comes before the replies, which answer it.
  expect(received.indexOf(echo)).toBeLessThan(received.indexOf(advice));
  expect((advice as { replyToId?: string }).replyToId).toBe(id);
}

describe('the official Direct Line client', () => {
  it('talks to the bot over the WebSocket stream', async () => {
    const { token } = await server.generateToken(professional);
    const c = client({ token, webSocket: true });
    const { id, echo, advice } = await joinAndAskForAdvice(c);
    expectEcho(echo, id, c.received, advice);
    expect(server.directLine.openSockets).toBe(1);
    expect(Number(c.watermark)).toBeGreaterThanOrEqual(4);
  });

  it('talks to the bot by polling', async () => {
    const { token } = await server.generateToken(professional);
    const c = client({ token, webSocket: false });
    const { id, echo, advice } = await joinAndAskForAdvice(c);
    expectEcho(echo, id, c.received, advice);
    expect(server.directLine.openSockets).toBe(0);
  });

  it('reconnects with a watermark and receives only what is new', async () => {
    const { token } = await server.generateToken(professional);
    const first = client({ token, webSocket: true });
    await first.waitFor(isQuestion('menu'), 'menu question');
    const { conversationId } = await bodyAs(await fetch(`${server.domain}/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), tokenAnswer);
    const watermark = first.watermark;
    first.end();

    // While nobody listens, the professional asks for help from another tab (plain HTTP).
    const posted = await fetch(`${server.domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'help', from: { id: 'pro-1' } }),
    });
    expect(posted.status).toBe(200);

    const second = client({ token, conversationId, watermark, webSocket: true });
    await second.waitFor(textMatches(/Pick what you need/), 'help reply');
    await second.waitFor(isQuestion('menu'), 'menu asked again');
    expect(second.received.find(textMatches(welcome))).toBeUndefined();
    expect(second.received[0]).toMatchObject({ type: 'message', text: 'help' });

    const polled = await fetch(`${server.domain}/conversations/${conversationId}/activities?watermark=${watermark}`, { headers: { authorization: `Bearer ${token}` } });
    const page = await bodyAs(polled, activitySet);
    expect(page.activities.map((a) => a.text)[0]).toBe('help');
    expect(Number(page.watermark)).toBeGreaterThan(Number(watermark));
  });

  it('keeps polling through a store fault: the poll answers 200 with no activities', async () => {
    let faulty = false;
    const flaky = await startDirectLineServer({
      transcripts: (store) => ({
        ...store,
        read: async (conversationId, after) => {
          if (faulty) throw new Error('disk unavailable');
          return store.read(conversationId, after);
        },
      }),
    });
    try {
      const { token } = await flaky.generateToken(professional);
      const c = officialClient({ domain: flaky.domain, token, webSocket: false });
      clients.push(c);
      await c.waitFor(isQuestion('menu'), 'menu question');
      const { conversationId } = await bodyAs(await fetch(`${flaky.domain}/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), tokenAnswer);

      faulty = true;
      const res = await fetch(`${flaky.domain}/conversations/${conversationId}/activities?watermark=2`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await bodyOf(res)).toEqual({ activities: [], watermark: '2' });
      await new Promise((r) => setTimeout(r, 700)); // several of the client's polls fail meanwhile
      faulty = false;

      await c.post({ type: 'message', text: 'Who can I call?' });
      await c.waitFor(textMatches(adviceReply), 'advice after the fault');
    } finally {
      await flaky.close();
    }
  });
});
