import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  createConversationReferences,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createRedisDocumentStore,
  encryptionKey,
  notificationListSchema,
  storedReferenceSchema,
} from '../integrations';
import { referenceKeyOf } from '../integrations/conversationReferences/conversationReferences';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const hour = 3_600_000;
const nurse = { channelId: 'msteams', userId: '29:test-nurse', aadObjectId: '6B5F4C3E-0000-4000-8000-000000000002' };
const reference = { channelId: 'msteams', serviceUrl: 'https://smba.example.org/', conversation: { id: 'a:conv-1' }, user: { id: nurse.userId, name: 'Test Nurse' } };

const referenceStore = (redis: Redis, keyPrefix: string) =>
  createRedisDocumentStore({
    redis,
    keyPrefix,
    namespace: 'conversation-reference',
    ttlMs: hour,
    codec: createEncryptedJsonCodec(cipher, storedReferenceSchema, (k) => `conversation-reference:${k}`),
  });

/** One instance's view of the shared Redis store, built as createPersistence builds it. */
function instance(redis: Redis, keyPrefix: string) {
  return createConversationReferences({
    references: referenceStore(redis, keyPrefix),
    notifications: createRedisDocumentStore({
      redis,
      keyPrefix,
      namespace: 'web-notifications',
      ttlMs: hour,
      codec: createEncryptedJsonCodec(cipher, notificationListSchema, (k) => `web-notifications:${k}`),
    }),
  });
}

describeWithRedis('conversation references in Redis (shared by instances)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = newRedis();
    prefix = uniquePrefix();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('one instance stores, another marks dead and lists the update, a new activity revives it', async () => {
    const a = instance(redis, prefix);
    const b = instance(redis, prefix);
    await a.remember(nurse, reference);
    expect(await b.latest(nurse)).toMatchObject({ dead: false, reference });
    expect(await b.latestForAad(nurse.aadObjectId.toLowerCase())).toMatchObject({ dead: false });

    await b.markDead(nurse);
    const update = { id: 'u-1', at: '2026-03-02T10:00:00.000Z', text: 'The MASH decided: early help.' };
    await b.addNotification(nurse, update);
    await b.addNotification(nurse, update); // a repeated callback adds it once
    expect(await a.latest(nurse)).toMatchObject({ dead: true });
    expect(await a.notificationsForAad(nurse.aadObjectId)).toEqual([update]);
    expect(await a.notificationsFor(nurse)).toEqual([update]);

    await a.remember(nurse, reference);
    expect(await b.latest(nurse)).toMatchObject({ dead: false });
  });

  it('a turn with the same conversation (only the activity differs) writes nothing; a moved conversation is written', async () => {
    const own = uniquePrefix();
    const a = instance(redis, own);
    const revision = async () => (await referenceStore(redis, own).load(referenceKeyOf(nurse))).rev;
    await a.remember(nurse, { ...reference, activityId: 'act-1' });
    const first = await revision();
    await a.remember(nurse, { ...reference, activityId: 'act-2' });
    await a.remember(nurse, { ...reference, activityId: 'act-3' });
    expect(await revision()).toBe(first);

    const moved = { ...reference, serviceUrl: 'https://smba.example.org/emea/', activityId: 'act-4' };
    await a.remember(nurse, moved);
    expect(await revision()).toBe(first + 1);
    expect(await a.latest(nurse)).toMatchObject({ dead: false, reference: moved });
    await deleteByPrefix(redis, own);
  });

  it('stores nothing readable: no name, no user id in Redis keys or values', async () => {
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const dump = (await Promise.all(keys.map((k) => redis.hgetall(k)))).map((h) => JSON.stringify(h)).join('\n') + keys.join('\n');
    expect(dump).not.toContain('Test Nurse');
    expect(dump).not.toContain('29:test-nurse');
    expect(dump).not.toContain('early help');
  });
});
