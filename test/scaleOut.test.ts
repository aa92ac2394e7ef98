import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { createRedisTranscriptWakeups } from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { referralAnswers, until } from './support/referralAnswers';
import { botClient } from './support/botClient';
import { frameText } from './support/frameText';
import { startFakeConnector } from './support/fakeConnector';
import { startMashStub } from './support/mashStub';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

interface Activity {
  id?: string;
  type?: string;
  text?: string;
  from?: { id?: string; role?: string };
}

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
      // Its own publish does not wake it (its sockets were fed when it appended); another instance's does.
      const heard = woken;
      await hubA.publish('conv-scale-1');
      await hubB.publish('conv-scale-1');
      for (let i = 0; i < 100 && woken === heard; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(woken).toBe(heard + 1);
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
  // Keys of its own (REDIS_KEY_PREFIX): no other test's service can claim this test's outbox entries.
  const prefix = uniquePrefix();
  afterAll(async () => {
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });
  const services: ServiceProcess[] = [];
  beforeAll(async () => {
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, STATE_ENCRYPTION_KEY: testKey(), DIRECTLINE_SECRET: secret };
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
      const text = frameText(data);
      if (text) received.push(...((JSON.parse(text) as { activities: Activity[] }).activities ?? []));
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      const says = ['Who can I call?', 'help', 'Who can I call?', 'help'];
      for (const [i, text] of says.entries()) {
        const via = i % 2 === 0 ? b : a; // the socket is on A; half the turns run on B
        const posted = await call(via, `/conversations/${conversationId}/activities`, token, {
          type: 'message',
          text,
          from: { id: userId },
          channelData: { clientActivityID: `c-${i}` },
        });
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

describeWithRedis('kill -9 of the instance delivering a referral', () => {
  // Keys of its own (REDIS_KEY_PREFIX): no other test's service can claim this test's outbox entries.
  const prefix = uniquePrefix();
  afterAll(async () => {
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });
  it('another instance claims its leased outbox entry after OUTBOX_CLAIM_IDLE_MS and files it once', async () => {
    const mashToken = 'scale-out-mash-token-0123456789';
    const [stub, connector] = await Promise.all([startMashStub({ token: mashToken }), startFakeConnector()]);
    const env = {
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: prefix,
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: mashToken,
      OUTBOX_CLAIM_IDLE_MS: '1500',
    };
    let a: ServiceProcess | undefined = await startService({ ...env, DATA_DIR: tempDataDir() }, await freePort());
    let b: ServiceProcess | undefined;
    try {
      stub.inject({ kind: 'hang', ms: 3000 }); // A's attempt is in flight when A dies
      const conversationId = `scale-kill-${randomBytes(3).toString('hex')}`;
      const client = botClient(() => a!.url, connector, conversationId, { id: 'dsl-scale', name: 'Test Teacher' });
      await client.join();
      for (const text of referralAnswers) expect((await client.say(text)).status).toBe(200);
      const filed = (await client.say('Submit')).replies.find((r) => r.value?.type === 'safeguarding.referralFiled');
      const clientReference = filed?.value?.clientReference as string;
      await until(() => (stub.pendingFaults() === 0 ? true : undefined), 'A to start its attempt');
      await a.stop('SIGKILL');
      a = undefined;
      b = await startService({ ...env, DATA_DIR: tempDataDir() }, await freePort());
      await until(
        () => connector.forConversation(conversationId).find((r) => r.value?.type === 'safeguarding.referralFiled' && r.value?.status === 'delivered'),
        'B to deliver the referral A had claimed',
      );
      expect(stub.storedCount(clientReference)).toBe(1);
    } finally {
      await a?.stop();
      await b?.stop();
      await stub.close();
      await connector.close();
    }
  });
});
