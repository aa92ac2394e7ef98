import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

interface Polled {
  activities: Array<{ text?: string; channelId?: string; value?: { id?: string } }>;
  watermark: string;
}

const secret = 'test-directline-secret-0123456789abcdef';

/** The Direct Line endpoint as `npm start` serves it, next to /api/messages, sharing one bot and store. */
describe('Direct Line in the running service', () => {
  let service: ServiceProcess;
  const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), DIRECTLINE_SECRET: secret };
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    service = await startService(env, port);
  });
  afterAll(async () => {
    await service?.stop();
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${service.url}/v3/directline${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    });

  it('runs a web chat conversation that survives a restart', async () => {
    const generated = await call('/tokens/generate', { method: 'POST', token: secret, body: JSON.stringify({ user: { id: 'dl-user', name: 'Test Youth Worker' } }) });
    expect(generated.status).toBe(200);
    const { token, conversationId } = (await generated.json()) as { token: string; conversationId: string };
    const started = await call('/conversations', { method: 'POST', token });
    expect([200, 201]).toContain(started.status);

    const posted = await call(`/conversations/${conversationId}/activities`, {
      method: 'POST',
      token,
      body: JSON.stringify({ type: 'message', text: 'Who can I call?', from: { id: 'dl-user' }, channelData: { clientActivityID: 'c-1' } }),
    });
    expect(posted.status).toBe(200);
    const polled = (await (await call(`/conversations/${conversationId}/activities`, { token })).json()) as Polled;
    const texts = polled.activities.map((a) => a.text ?? '');
    expect(polled.activities[0].channelId).toBe('webchat');
    expect(texts.join('\n')).toMatch(/01452 426565/);
    expect(polled.activities.some((a) => a.value?.id === 'menu')).toBe(true);

    await service.stop('SIGKILL');
    service = await startService(env, port);
    const again = (await (await call(`/conversations/${conversationId}/activities?watermark=${polled.watermark}`, { token })).json()) as Polled;
    expect(again.activities).toEqual([]);
    const replay = (await (await call(`/conversations/${conversationId}/activities`, { token })).json()) as Polled;
    expect(replay.activities.length).toBe(polled.activities.length);
  });

  it('refuses to start a conversation without credentials', async () => {
    expect((await call('/conversations', { method: 'POST' })).status).toBe(401);
    expect((await call('/tokens/generate', { method: 'POST', token: 'wrong' })).status).toBe(403);
  });
});
