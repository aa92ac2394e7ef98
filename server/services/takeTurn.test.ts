import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ConversationRuntime, Effect, StoredPendingEffect } from '../../flows';
import { createRuntime, loadDefaultPack } from '../../flows';
import { createEmbeddedConversationStore, createEnvelopeCipher, createRecordCodec, createRedisClient, createRedisConversationStore, encryptionKey, type ConversationStore } from '../../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from '../../test/support/redis';
import { createConversationTurns } from './takeTurn';

const pack = loadDefaultPack();
const meta = { channelId: 'test', userId: 'u1', userName: 'Test Professional', now: new Date('2026-03-02T10:00:00Z') };
const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const logger = pino({ level: 'silent' });

/** The real runtime, with one audit effect added to the first turn (the menu itself asks for none). */
function runtimeWithEffect(): ConversationRuntime {
  const real = createRuntime({ pack });
  return {
    ...real,
    runTurn(stored, input, turnMeta) {
      const result = real.runTurn(stored, input, turnMeta);
      const effects: Effect[] = stored ? [] : [{ kind: 'audit.append', id: 'decision-1', payload: { recordType: 'test' } }];
      return { ...result, effects };
    },
  };
}

describe('durable effects', () => {
  it('re-runs an effect that failed after its turn was saved, on the next turn', async () => {
    const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
    const ran: StoredPendingEffect[] = [];
    let failNext = true;
    const runEffects = async (pending: StoredPendingEffect[]) => {
      if (failNext) {
        failNext = false;
        throw new Error('audit store down');
      }
      ran.push(...pending);
    };
    const turns = createConversationTurns({ store, runtime: runtimeWithEffect(), logger, runEffects });
    const first = await turns.run('c1', { kind: 'start' }, meta);
    expect(first.messages.length).toBeGreaterThan(0); // the professional still got their answer
    expect(ran).toHaveLength(0);
    expect((await store.load('c1')).record?.pendingEffects).toHaveLength(1);

    await turns.run('c1', { kind: 'text', text: 'help' }, meta);
    expect(ran).toEqual([{ effect: { kind: 'audit.append', id: 'decision-1', payload: { recordType: 'test' } }, actor: { channelId: 'test', userId: 'u1', userName: 'Test Professional' } }]);
    expect((await store.load('c1')).record?.pendingEffects).toEqual([]);
  });

  it('runs the effects a crashed turn left at start-up, without waiting for the professional to write again', async () => {
    await sweepsLeftEffects(await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 }));
  });
});

describe('redelivered activities', () => {
  it('answers an activity delivered again with the current question instead of applying it twice', async () => {
    const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
    const turns = createConversationTurns({ store, runtime: createRuntime({ pack }), logger });
    await turns.run('c-redelivered', { kind: 'start' }, { ...meta, activityId: 'act-1' });
    const first = await turns.run('c-redelivered', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-2' });
    const after = (await store.load('c-redelivered')).record;
    // The channel lost our response and sends act-2 again (to this or another instance).
    const again = await turns.run('c-redelivered', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-2' });
    const stored = (await store.load('c-redelivered')).record;
    expect(stored?.trail).toEqual(after?.trail);
    expect(again.messages.at(-1)?.value?.id).toBe(first.messages.at(-1)?.value?.id); // the same question, asked again
    expect(stored?.recentActivityIds).toEqual(['act-1', 'act-2']);
    // A new activity is applied as usual.
    await turns.run('c-redelivered', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-3' });
    expect((await store.load('c-redelivered')).record?.trail.length).toBeGreaterThan(after?.trail.length ?? 0);
  });
});

/** A turn saved with its effect, then the process died before running it (runEffects threw: not run). */
async function sweepsLeftEffects(store: ConversationStore): Promise<void> {
  const crashed = createConversationTurns({ store, runtime: runtimeWithEffect(), logger, runEffects: async () => { throw new Error('killed before the effect ran'); } });
  await crashed.run('c-crashed', { kind: 'start' }, meta);
  await createConversationTurns({ store, runtime: createRuntime({ pack }), logger }).run('c-quiet', { kind: 'start' }, meta);

  const ran: StoredPendingEffect[] = [];
  const restarted = createConversationTurns({ store, runtime: runtimeWithEffect(), logger, runEffects: async (pending) => void ran.push(...pending) });
  expect(await restarted.sweepPendingEffects()).toEqual({ settled: 1, failed: 0, unreadable: 0 });
  expect(ran.map((p) => p.effect.id)).toEqual(['decision-1']);
}

describeWithRedis('durable effects on Redis', () => {
  const prefix = uniquePrefix();
  const redis = createRedisClient(redisUrl(), prefix);
  afterAll(async () => {
    const cleaner = newRedis();
    await deleteByPrefix(cleaner, prefix);
    await cleaner.quit();
    redis.disconnect();
  });

  it('the start-up sweep finds conversations under the instance\'s key prefix', async () => {
    await sweepsLeftEffects(createRedisConversationStore({ redis, codec, ttlMs: 3600_000 }));
  });
});
