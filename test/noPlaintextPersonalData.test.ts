import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { marfSecrets, referralAnswersWithMarf, until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess } from './support/serviceInProcess';

/**
 * After a full conversation about a synthetic child (screening, referral with its MARF sections filed and
 * delivered), none of the child's identifiers is anywhere in plain text: not in the service's logs, not
 * in any file under DATA_DIR, not in Redis. The NHS number is checked as typed ("943 476 5919") and
 * normalised. The MARF answers (issue 21) are allegations about named people and the child's own words:
 * a person of concern's nickname, phone, handle and vehicle registration, a carer's name and the quote
 * are searched for too.
 */
jest.setTimeout(90_000);
const secrets = ['Test Child', '14/03/2012', '2012-03-14', '9434765919', '943 476 5919', 'GL1 2TG', 'gl1 2tg', ...marfSecrets];
const mashToken = 'reference-test-token-0123456789';

let connector: FakeConnector;
let stub: MashStub;
beforeAll(async () => {
  connector = await startFakeConnector();
  stub = await startMashStub({ token: mashToken });
});
afterAll(async () => {
  await connector.close();
  await stub.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Everything a plaintext leak could show up as: the raw bytes, read as UTF-8 and as UTF-16. */
function expectNoSecrets(where: string, text: string) {
  for (const secret of secrets) expect({ where, found: text.includes(secret) ? secret : undefined }).toEqual({ where, found: undefined });
}

async function converse(env: Record<string, string>, conversationId: string, submit: boolean): Promise<string> {
  const service = await startInProcess({ ...env, STATE_ENCRYPTION_KEY: testKey(), LOG_LEVEL: 'trace' });
  try {
    const client = botClient(() => service.url, connector, conversationId, { id: `dsl-${conversationId}`, name: 'Test Teacher' });
    await client.join();
    for (const text of referralAnswersWithMarf) expect((await client.say(text)).status).toBe(200);
    // The sections were taken (so the search below has something to miss): the check lists them.
    const check = connector
      .forConversation(conversationId)
      .map((a) => a.text ?? '')
      .join('\n');
    expect(check).toMatch(/People of concern: Zebedee-Test, about 24/);
    expect(check).toMatch(/Parents and carers: Testmum Carerson, mother/);
    if (submit) {
      expect((await client.say('Submit')).status).toBe(200);
      await until(
        () => connector.forConversation(conversationId).find((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered'),
        'delivery to the MASH',
      );
    }
  } finally {
    await service.stop();
  }
  return service.output();
}

describe('no plaintext personal data (embedded store)', () => {
  // A version 1 MASH (the default with an intake URL): the MARF answers are kept back, in the referral record at rest.
  it("leaves the child's name, DOB, NHS number, postcode and MARF answers out of the logs and every file under DATA_DIR", async () => {
    const dataDir = tempDataDir();
    const id = `no-plain-embedded-${Date.now()}`;
    const logs = await converse({ DATA_DIR: dataDir, MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: mashToken }, id, true);
    expect(logs).toMatch(/"msg":"turn"/);
    expectNoSecrets('logs', logs);
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const bytes = readFileSync(file);
      expectNoSecrets(file, bytes.toString('utf8'));
      expectNoSecrets(file, bytes.toString('utf16le'));
    }
  });
});

async function dumpValue(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  if (type === 'string') return (await redis.get(key)) ?? '';
  if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
  if (type === 'stream') return JSON.stringify(await redis.xrange(key, '-', '+'));
  if (type === 'list') return JSON.stringify(await redis.lrange(key, 0, -1));
  if (type === 'set') return JSON.stringify(await redis.smembers(key));
  if (type === 'zset') return JSON.stringify(await redis.zrange(key, '0', '-1'));
  return '';
}

describeWithRedis('no plaintext personal data (Redis)', () => {
  // Its own key prefix (REDIS_KEY_PREFIX), so the filed referral's outbox entry is this test's alone.
  const prefix = uniquePrefix();
  afterAll(async () => {
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  // A version 2 MASH: the MARF answers travel in the body (and sit in the outbox until delivered).
  it('leaves them out of the logs and every value in Redis, through a version 2 referral delivered to the MASH', async () => {
    const id = `no-plain-redis-${Date.now()}`;
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: mashToken, MASH_SCHEMA_VERSION: '2' };
    const logs = await converse(env, id, true);
    const delivered = stub.storedKeys().map((key) => JSON.stringify(stub.storedBody(key)));
    expect(delivered.filter((body) => body.includes('"name":"Zebedee-Test"') && body.includes('Testmum Carerson'))).toHaveLength(1);
    expectNoSecrets('logs', logs);
    const redis = newRedis();
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expectNoSecrets(key, `${key} ${await dumpValue(redis, key)}`);
    } finally {
      await redis.quit();
    }
  });
});
