import { expect } from '@jest/globals';
import { botClient, questionIn } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

let service: ServiceProcess;
let connector: FakeConnector;
let n = 0;
const client = () => botClient(() => service.url, connector, `protocol-${++n}`);

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
});

afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

describe('Bot Framework protocol on /api/messages', () => {
  it('welcomes a professional added to the conversation and asks the menu question', async () => {
    const { status, replies } = await client().join();
    expect(status).toBe(200);
    expect(replies[0].text).toMatch(/I help professionals who are worried about a child/);
    const question = replies[replies.length - 1];
    expect(question.value).toMatchObject({ type: 'safeguarding.question', id: 'menu', expects: 'choice' });
    expect(question.value?.choices?.map((c) => c.value)).toEqual(['share', 'screen', 'refer', 'advice', 'intelligence', 'coordinator', 'help', 'restart']);
    expect(question.suggestedActions?.actions).toContainEqual({ type: 'imBack', title: 'Who can I call?', value: 'Who can I call?' });
  });

  it('does not welcome when only the bot is added', async () => {
    const c = client();
    const { replies } = await c.post({ type: 'conversationUpdate', membersAdded: [{ id: 'bot' }] });
    expect(replies).toHaveLength(0);
  });

  it('answers the menu by title in any case and by number', async () => {
    const c = client();
    await c.join();
    const byTitle = await c.say('WHO CAN I CALL?');
    expect(byTitle.replies[0].text).toMatch(/Emergency Duty Team.*01452 614194/s);
    const byNumber = await c.say('4');
    expect(byNumber.replies[0].text).toMatch(/01452 426565/);
    expect(questionIn(byNumber.replies).id).toBe('menu');
  });

  it('gives help at a question and re-asks it', async () => {
    const c = client();
    await c.join();
    const { replies } = await c.say('help');
    expect(replies[0].text).toMatch(/Pick what you need/);
    expect(questionIn(replies).id).toBe('menu');
  });

  it('restarts from the menu', async () => {
    const c = client();
    await c.join();
    const { replies } = await c.say('restart');
    expect(replies[0].text).toMatch(/Starting again/);
    expect(questionIn(replies).id).toBe('menu');
  });

  it('interrupts with emergency advice on 999 and keeps the question', async () => {
    const c = client();
    await c.join();
    const { replies } = await c.say('999');
    expect(replies[0].text).toMatch(/call 999 now/);
    expect(replies[0].value).toMatchObject({ type: 'safeguarding.handoff', kind: 'emergency' });
    expect(replies[0].value?.services).toContainEqual(expect.objectContaining({ number: '999' }));
    expect(questionIn(replies).id).toBe('menu');
  });

  it('re-asks free text that is not a choice instead of dead-ending', async () => {
    const c = client();
    await c.join();
    const { replies } = await c.say('what is the weather like');
    expect(replies[0].text).toMatch(/did not catch that/);
    expect(questionIn(replies).id).toBe('menu');
  });

  it('greets back, and answers thanks, with the menu instead of re-asking', async () => {
    const c = client();
    await c.join();
    const hello = await c.say('Hello!');
    expect(hello.replies[0].text).toMatch(/^Hello\. Here is what I can help with/);
    expect(questionIn(hello.replies).id).toBe('menu');
    const thanks = await c.say('thank you');
    expect(thanks.replies[0].text).toMatch(/^You're welcome/);
    expect(questionIn(thanks.replies).id).toBe('menu');
  });

  it('takes an Action.Submit card answer and refuses one from a stale card', async () => {
    const c = client();
    const joined = await c.join();
    const { turnId } = questionIn(joined.replies);
    const fresh = await c.submit({ questionId: 'menu', turnId, answer: 'advice' });
    expect(fresh.replies[0].text).toMatch(/01452 426565/);
    const stale = await c.submit({ questionId: 'menu', turnId, answer: 'advice' });
    expect(stale.replies[0].text).toMatch(/moved on/);
  });

  it('answers an adaptiveCard/action invoke with an invoke response', async () => {
    const c = client();
    const joined = await c.join();
    const { turnId } = questionIn(joined.replies);
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: 'inv-1',
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'user-1' },
        recipient: { id: 'bot' },
        conversation: { id: `protocol-${n}` },
        value: { action: { type: 'Action.Execute', verb: 'answer', data: { questionId: 'menu', turnId, answer: 'advice' } } },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    // The invoke comes from Teams, so the answer is a Teams card (test/teams.cards.test.ts); its value is the protocol's.
    const replies = connector.forConversation(`protocol-${n}`);
    expect(replies.some((a) => a.value?.type === 'safeguarding.handoff' && /01452 426565/.test(JSON.stringify(a.attachments)))).toBe(true);
  });
});

describe('HTTP surface', () => {
  it('serves /healthz and /readyz', async () => {
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok', storeReset: false });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: 'embedded', storeReset: false });
  });

  it('refuses a body over 256 kB with 413 problem+json', async () => {
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 413, code: 'SG-HTTP-BODY-TOO-LARGE' });
  });

  it('refuses a body that is not an activity with 400 problem+json naming the field', async () => {
    const res = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'SG-HTTP-BAD-REQUEST', detail: expect.stringMatching(/type is missing/) });
    const noConversation = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi', channelId: 'emulator', serviceUrl: connector.url }),
    });
    expect(noConversation.status).toBe(400);
    expect(((await noConversation.json()) as { detail: string }).detail).toMatch(/conversation/);
  });

  it('refuses malformed JSON with 400 problem+json and unknown routes with 404', async () => {
    const bad = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'SG-HTTP-BAD-JSON' });
    const missing = await fetch(`${service.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
