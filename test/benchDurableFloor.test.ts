import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { floorConversationStore, loadServiceRecord, saveTurnOf } from '../bench/serviceRecord';
import type { ConversationRecord } from '../flows';
import { createEnvelopeCipher, encryptionKey } from '../integrations/crypto/envelopeCipher';
import { openRedisKind } from '../integrations/documents/documentStores';
import { documentKinds } from '../integrations/documents/documentKinds';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';

const record: ConversationRecord = {
  machineId: 'screening',
  machineVersion: '1',
  snapshot: { value: 'asking', context: { narrative: 'Test Child was picked up by an older man in a car' } },
  trail: [],
  turn: 7,
  contentVersion: 'test',
  startedAt: '2026-12-06T20:00:00.000Z',
  updatedAt: '2026-12-06T20:05:00.000Z',
};

/** The bench's durable floor keeps real, encrypted state: the service's store code, not a model of it. */
describeWithRedis("the bench's floor that saves the service's record", () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('saves once per activity with compare-and-set, counting turns, encrypted at rest', async () => {
    const store = floorConversationStore(redis, `${prefix}floor:`);
    for (let i = 0; i < 3; i++) await saveTurnOf(store, 'floor-conversation', record);
    expect(await store.load('floor-conversation')).toMatchObject({ rev: 3, record: { turn: 3, snapshot: record.snapshot } });
    const stored = JSON.stringify(await Promise.all((await redis.keys(`${prefix}floor:*`)).map((k) => redis.hgetall(k))));
    expect(stored).not.toMatch(/Test Child|older man/);
  });

  it('reads a record the service saved under its key and prefix, and refuses one it cannot read', async () => {
    const key = randomBytes(32);
    const service = openRedisKind(documentKinds.conversations, {
      redis,
      cipher: createEnvelopeCipher([encryptionKey(key)]),
      periods: { conversationMs: 60_000, closedHandoffMs: 0, draftMs: 0 },
      keyPrefix: `${prefix}svc:sg:`,
    });
    await service.save('halfway', record, 0);
    expect(await loadServiceRecord(redis, key, `${prefix}svc:`, 'halfway')).toEqual(record);
    await expect(loadServiceRecord(redis, randomBytes(32), `${prefix}svc:`, 'halfway')).rejects.toThrow(/no readable record/);
  });
});
