import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEnvelopeCipher, encryptionKey, storageKeyOf } from '../integrations';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { describeWithRedis, newRedis, redisUrl } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess } from './support/serviceInProcess';

let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.close();
});

/** Has a conversation answer the menu, and returns the key that encrypted it. */
async function converse(env: Record<string, string>, conversationId: string): Promise<string> {
  const key = testKey();
  const service = await startInProcess({ ...env, STATE_ENCRYPTION_KEY: key });
  try {
    const client = botClient(() => service.url, connector, conversationId);
    await client.join();
    await client.say('Who can I call?');
    await client.say('Should I share this?');
  } finally {
    await service.stop();
  }
  return key;
}

/** The stored bytes hide the answers; decrypting them with the key shows they really are there. */
function expectEncryptedAnswers(stored: string, key: string, conversationId: string) {
  expect(stored).toMatch(/v1\.[0-9a-f]{8}\./);
  expect(stored).not.toMatch(/"ANSWER"|advice|share|menu|user-1/);
  const envelope = /v1\.[^"\s]+/.exec(stored)![0];
  const plain = createEnvelopeCipher([encryptionKey(Buffer.from(key, 'base64'))]).decrypt(envelope, `conversation:${storageKeyOf(conversationId)}`);
  expect(plain).toMatch(/"ANSWER"/);
}

describe('encryption at rest', () => {
  it('leaves no plaintext answer under DATA_DIR', async () => {
    const dataDir = tempDataDir();
    const key = await converse({ DATA_DIR: dataDir }, 'at-rest-embedded');
    const stored = readFileSync(join(dataDir, 'conversations', `${storageKeyOf('at-rest-embedded')}.json`), 'utf8');
    expectEncryptedAnswers(stored, key, 'at-rest-embedded');
  });
});

describeWithRedis('encryption at rest on Redis', () => {
  it('leaves no plaintext answer in Redis', async () => {
    const id = `at-rest-redis-${Date.now()}`;
    const key = await converse({ DATA_DIR: tempDataDir(), REDIS_URL: redisUrl() }, id);
    const redis = newRedis();
    const redisKey = `sg:conv:${storageKeyOf(id)}`;
    const stored = JSON.stringify(await redis.hgetall(redisKey));
    await redis.del(redisKey);
    await redis.quit();
    expectEncryptedAnswers(stored, key, id);
  });
});
