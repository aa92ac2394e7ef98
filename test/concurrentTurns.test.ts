import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { createConversationTurns } from '../server/services/takeTurn';
import { createRuntime, loadDefaultPack } from '../flows';
import { createEnvelopeCipher, createRecordCodec, createRedisConversationStore, encryptionKey, rememberedConversations } from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';

const pack = loadDefaultPack();
const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const logger = pino({ level: 'silent' });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

describeWithRedis('concurrent turns on one conversation through two instances', () => {
  const clients: Redis[] = [];
  const prefix = uniquePrefix();
  afterAll(async () => {
    await deleteByPrefix(clients[0], prefix);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it.each([
    ['loading before each save', {}],
    ['remembering revisions (one compare-and-set per turn)', { remember: rememberedConversations }],
  ])('loses no update across 50 concurrent turns, %s', async (name, remember) => {
    const conversation = `busy-conversation ${name}`;
    // Two store clients and two turn runners: what two processes behind a load balancer have.
    const instances = [0, 1].map(() => {
      const redis = newRedis();
      clients.push(redis);
      const store = createRedisConversationStore({ redis, codec, ttlMs: 3600_000, keyPrefix: prefix, ...remember });
      return { store, turns: createConversationTurns({ store, runtime: createRuntime({ pack }), logger, maxAttempts: 200 }) };
    });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => instances[i % 2].turns.run(conversation, { kind: 'text', text: i % 3 ? 'help' : '4' }, meta)));
    const { record, rev } = await instances[0].store.load(conversation);
    expect(record?.turn).toBe(50);
    expect(rev).toBe(50);
    // Every turn asked a question with its own turn id: none ran on a state another turn overwrote.
    const turnIds = outcomes.map((o) => (o.messages[o.messages.length - 1].value as { turnId: number }).turnId);
    expect(new Set(turnIds).size).toBe(50);
  });

  it('re-runs a turn on the fresh state when another instance saved in between', async () => {
    const redisA = newRedis();
    const redisB = newRedis();
    clients.push(redisA, redisB);
    const storeB = createRedisConversationStore({ redis: redisB, codec, ttlMs: 3600_000, keyPrefix: prefix });
    const turnsB = createConversationTurns({ store: storeB, runtime: createRuntime({ pack }), logger });
    const storeA = createRedisConversationStore({ redis: redisA, codec, ttlMs: 3600_000, keyPrefix: prefix });
    let interfered = false;
    const racingStore = {
      ...storeA,
      load: async (id: string) => {
        const loaded = await storeA.load(id);
        if (!interfered) {
          interfered = true; // instance B answers between A's load and A's save
          await turnsB.run(id, { kind: 'text', text: 'help' }, meta);
        }
        return loaded;
      },
    };
    const turnsA = createConversationTurns({ store: racingStore, runtime: createRuntime({ pack }), logger });
    await turnsB.run('raced', { kind: 'start' }, meta);
    const outcome = await turnsA.run('raced', { kind: 'text', text: '4' }, meta);
    expect(outcome.attempts).toBe(2);
    expect((outcome.messages[outcome.messages.length - 1].value as { turnId: number }).turnId).toBe(3);
    expect((await storeA.load('raced')).record?.turn).toBe(3);
  });
});
