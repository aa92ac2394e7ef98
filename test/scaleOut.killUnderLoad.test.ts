import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { screeningAnswers } from '../bench/drivers';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

/**
 * Two instances behind a (simulated) load balancer on one Redis; eight professionals screening at once,
 * their turns alternating between the instances. Half-way, instance B is killed with SIGKILL while turns
 * are in flight on it. Each request B could not answer is sent again to A with the same activity id, as
 * a channel retries a delivery whose response it lost. No turn may be lost: every conversation ends with
 * exactly one screening result, the category its answers give. (A redelivery of a turn B had already
 * saved is recognised by its activity id and not applied twice: bot/conversationTurns.test.ts.)
 */
describeWithRedis('kill -9 of one instance under load', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let connector: FakeConnector;
  let a: ServiceProcess;
  let b: ServiceProcess;
  beforeAll(async () => {
    redis = newRedis();
    connector = await startFakeConnector();
    const env = {
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: prefix,
      STATE_ENCRYPTION_KEY: testKey(),
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '1000000',
    };
    a = await startService({ ...env, DATA_DIR: tempDataDir() }, await freePort());
    b = await startService({ ...env, DATA_DIR: tempDataDir() }, await freePort());
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await connector?.close();
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('loses no turn and applies none twice: every conversation gets its one screening result', async () => {
    let bAlive = true;
    let sent = 0;
    const conversations = Array.from({ length: 8 }, (_, i) => `kill-load-${randomBytes(3).toString('hex')}-${i}`);
    const post = (target: ServiceProcess, conversationId: string, activity: Record<string, unknown>) =>
      fetch(`${target.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channelId: 'emulator',
          serviceUrl: connector.url,
          from: { id: `${conversationId}-user`, name: 'Test Professional' },
          recipient: { id: 'bot', name: 'Safeguarding bot' },
          conversation: { id: conversationId },
          ...activity,
        }),
      }).then(
        (res) => res.status,
        () => 0,
      );

    /** Through B while it lives (every other turn), else A; a request B dropped goes to A again, same id. */
    async function turn(conversationId: string, index: number, activity: Record<string, unknown>): Promise<void> {
      const id = `${conversationId}-act-${index}`;
      const viaB = bAlive && index % 2 === 1;
      let status = await post(viaB ? b : a, conversationId, { id, ...activity });
      if (viaB && status !== 200) {
        status = await post(a, conversationId, { id, ...activity });
      }
      expect(status).toBe(200);
      if (++sent === 40) {
        bAlive = false;
        await b.stop('SIGKILL'); // mid-load: other conversations have turns in flight on B right now
      }
    }

    await Promise.all(
      conversations.map(async (conversationId) => {
        await turn(conversationId, 0, { type: 'conversationUpdate', membersAdded: [{ id: `${conversationId}-user` }, { id: 'bot' }] });
        for (const [i, text] of screeningAnswers.entries()) await turn(conversationId, i + 1, { type: 'message', text });
      }),
    );

    expect(bAlive).toBe(false);
    for (const conversationId of conversations) {
      const results = connector.forConversation(conversationId).filter((r) => r.value?.type === 'safeguarding.screeningResult');
      expect({ conversationId, results: results.map((r) => r.value?.category) }).toEqual({ conversationId, results: [1] });
    }
    expect(sent).toBe(conversations.length * (screeningAnswers.length + 1));
  });
});
