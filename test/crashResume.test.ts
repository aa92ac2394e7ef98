import { botClient, questionIn } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl } from './support/redis';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { storageKeyOf } from '../integrations';

let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.close();
});

/**
 * Kill -9 between two turns, start again on the same store: the conversation carries on at the same
 * question, with its turn count, and the next answer is taken in that question's context.
 */
async function crashAndResume(env: Record<string, string>, conversationId: string) {
  const port = await freePort();
  let service: ServiceProcess = await startService(env, port);
  const client = botClient(() => service.url, connector, conversationId);
  try {
    await client.join();
    const entered = await client.say('Should I share this?');
    const asked = questionIn(entered.replies);
    expect(asked.id).not.toBe('menu');

    expect(await service.stop('SIGKILL')).toBeNull();
    service = await startService(env, port);

    const help = await client.say('help');
    const resumed = questionIn(help.replies);
    expect(resumed).toMatchObject({ id: asked.id, turnId: asked.turnId + 1 });
    expect(help.replies.some((r) => /I help professionals/.test(r.text ?? ''))).toBe(false);

    const answered = await client.say('1');
    expect(questionIn(answered.replies).id).not.toBe(asked.id);
  } finally {
    await service.stop();
  }
}

describe('crash resume', () => {
  it('continues at the same question after SIGKILL with the embedded store', async () => {
    await crashAndResume({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() }, 'crash-embedded');
  });

  it('continues with the generated local key after SIGKILL (no STATE_ENCRYPTION_KEY)', async () => {
    await crashAndResume({ DATA_DIR: tempDataDir() }, 'crash-generated-key');
  });
});

describeWithRedis('crash resume on Redis', () => {
  it('continues at the same question after SIGKILL with the Redis store', async () => {
    const id = `crash-redis-${Date.now()}`;
    await crashAndResume({ DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), STATE_ENCRYPTION_KEY: testKey() }, id);
    const redis = newRedis();
    await deleteByPrefix(redis, `sg:conv:${storageKeyOf(id)}`);
    await redis.quit();
  });
});
