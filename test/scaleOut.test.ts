import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { createRedisTranscriptWakeups } from '../integrations';
import { describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { until } from './support/referralAnswers';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

interface Activity { id?: string; type?: string; text?: string; from?: { id?: string; role?: string } }

const secret = 'scale-out-directline-secret-0123456789abcdef';

describeWithRedis('transcript wake-ups over Redis pub/sub', () => {
  it('wakes a watcher on another connection, and stops after unwatching', async () => {
    const [a, b] = [newRedis(), newRedis()];
    const prefix = uniquePrefix();
    const [hubA, hubB] = [createRedisTranscriptWakeups({ redis: a, keyPrefix: prefix }), createRedisTranscriptWakeups({ redis: b, keyPrefix: prefix })];
    try {
      let woken = 0;
      const unwatch = hubA.watch('conv-scale-1', () => woken++);
      // SUBSCRIBE is asynchronous: publish until the subscription is in place and a wake-up arrives.
      for (let i = 0; i < 100 && woken === 0; i++) {
        await hubB.publish('conv-scale-1');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(woken).toBeGreaterThan(0);
      unwatch();
      const before = woken;
      await hubB.publish('conv-scale-1');
      await hubB.publish('conv-scale-2');
      // The subscriber connection answers PING only after every message published before it was handled.
      await a.ping();
      expect(woken).toBe(before);
    } finally {
      await Promise.all([hubA.close(), hubB.close()]);
      await Promise.all([a.quit(), b.quit()]);
    }
  });
});

describeWithRedis('two instances on one Redis', () => {
  const services: ServiceProcess[] = [];
  beforeAll(async () => {
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), STATE_ENCRYPTION_KEY: testKey(), DIRECTLINE_SECRET: secret };
    for (let i = 0; i < 2; i++) services.push(await startService({ ...env, DATA_DIR: tempDataDir() }, await freePort()));
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
  });

  const call = (service: ServiceProcess, path: string, token: string, body?: unknown) =>
    fetch(`${service.url}/v3/directline${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('streams on instance A the answers of turns run on A and B alternately, each activity once and in order', async () => {
    const [a, b] = services;
    const userId = `dl-scale-${randomBytes(3).toString('hex')}`;
    const generated = await call(a, '/tokens/generate', secret, { user: { id: userId, name: 'Test Teacher' } });
    const { token, conversationId } = (await generated.json()) as { token: string; conversationId: string };
    const started = (await (await call(a, '/conversations', token, {})).json()) as { streamUrl: string };
    const received: Activity[] = [];
    const ws = new WebSocket(started.streamUrl);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text) received.push(...((JSON.parse(text) as { activities: Activity[] }).activities ?? []));
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      const says = ['Who can I call?', 'help', 'Who can I call?', 'help'];
      for (const [i, text] of says.entries()) {
        const via = i % 2 === 0 ? b : a; // the socket is on A; half the turns run on B
        const posted = await call(via, `/conversations/${conversationId}/activities`, token, { type: 'message', text, from: { id: userId }, channelData: { clientActivityID: `c-${i}` } });
        expect(posted.status).toBe(200);
        const { id } = (await posted.json()) as { id: string };
        await until(() => {
          const at = received.findIndex((r) => r.id === id);
          return at >= 0 && received.slice(at + 1).some((r) => r.from?.id !== userId && r.type === 'message') ? true : undefined;
        }, `the answer to message ${i}`);
      }
      const transcript = (await (await call(b, `/conversations/${conversationId}/activities`, token)).json()) as { activities: Activity[] };
      const ids = received.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(transcript.activities.map((r) => r.id).slice(0, ids.length));
      expect(received.filter((r) => r.from?.id === userId).map((r) => r.text)).toEqual(says);
      expect(received.some((r) => /01452 426565/.test(r.text ?? ''))).toBe(true);
    } finally {
      ws.close();
    }
  });
});
