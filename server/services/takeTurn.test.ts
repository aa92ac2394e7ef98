import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ConversationRuntime, Effect, StoredPendingEffect } from '../../flows';
import { createRuntime, loadDefaultPack } from '../../flows';
import {
  createEmbeddedConversationStore,
  createEnvelopeCipher,
  createRecordCodec,
  createRedisClient,
  createRedisConversationStore,
  encryptionKey,
  conversationGuards,
  storageKeyOf,
  type ConversationStore,
} from '../../integrations';
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
    expect(ran).toEqual([
      { effect: { kind: 'audit.append', id: 'decision-1', payload: { recordType: 'test' } }, actor: { channelId: 'test', userId: 'u1', userName: 'Test Professional' } },
    ]);
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

describe('a save that failed without an answer (the store went away mid-command)', () => {
  /** A store whose next save lands, then throws as if the connection dropped before the reply. */
  async function droppingStore() {
    const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
    let dropNext = false;
    const dropping: ConversationStore = {
      ...store,
      save: async (...args) => {
        const saved = await store.save(...args);
        if (!dropNext) return saved;
        dropNext = false;
        throw new Error('connection lost before the reply');
      },
    };
    return { store: dropping, dropNextSave: () => void (dropNext = true) };
  }

  it('takes the same words retyped after the apology as the answer it already has, and asks the next question again', async () => {
    const { store, dropNextSave } = await droppingStore();
    const turns = createConversationTurns({ store, runtime: createRuntime({ pack }), logger });
    await turns.run('c-dropped', { kind: 'start' }, { ...meta, activityId: 'act-1' });
    dropNextSave();
    await expect(turns.run('c-dropped', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-2' })).rejects.toThrow('connection lost');
    const landed = (await store.load('c-dropped')).record;
    expect(landed?.recentActivityIds).toEqual(['act-1', 'act-2']); // it did land

    const retyped = await turns.run('c-dropped', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-3' });
    expect((await store.load('c-dropped')).record?.trail).toEqual(landed?.trail); // not applied a second time
    // The question after '1', as a conversation that met no failure asks it.
    await turns.run('c-unbroken', { kind: 'start' }, { ...meta, activityId: 'act-1' });
    const unbroken = await turns.run('c-unbroken', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-2' });
    expect(retyped.messages.at(-1)?.value?.id).toBe(unbroken.messages.at(-1)?.value?.id);
    expect(retyped.messages.at(-1)?.value?.id).toBeTruthy();

    // The professional's next answer is applied as usual.
    await turns.run('c-dropped', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-4' });
    expect((await store.load('c-dropped')).record?.trail.length).toBeGreaterThan(landed?.trail.length ?? 0);
  });

  it('applies the retyped words when the failed save did not land', async () => {
    const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
    let failNext = false;
    const failing: ConversationStore = {
      ...store,
      save: async (...args) => {
        if (failNext) {
          failNext = false;
          throw new Error('store down');
        }
        return store.save(...args);
      },
    };
    const turns = createConversationTurns({ store: failing, runtime: createRuntime({ pack }), logger });
    await turns.run('c-failed', { kind: 'start' }, { ...meta, activityId: 'act-1' });
    const before = (await store.load('c-failed')).record;
    failNext = true;
    await expect(turns.run('c-failed', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-2' })).rejects.toThrow('store down');
    await turns.run('c-failed', { kind: 'text', text: '1' }, { ...meta, activityId: 'act-3' });
    expect((await store.load('c-failed')).record?.trail.length).toBeGreaterThan(before?.trail.length ?? 0);
  });
});

/** A turn saved with its effect, then the process died before running it (runEffects threw: not run). */
async function sweepsLeftEffects(store: ConversationStore): Promise<void> {
  const crashed = createConversationTurns({
    store,
    runtime: runtimeWithEffect(),
    logger,
    runEffects: async () => {
      throw new Error('killed before the effect ran');
    },
  });
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

  it("the start-up sweep finds conversations under the instance's key prefix", async () => {
    await sweepsLeftEffects(createRedisConversationStore({ redis, codec, ttlMs: 3600_000 }));
  });

  it('a turn that finds a reply awaited is discarded whole: nothing saved, said or run (issue 23)', async () => {
    const store = createRedisConversationStore({ redis, codec, ttlMs: 3600_000, remember: { maxEntries: 10, maxAgeMs: 3600_000 }, guards: conversationGuards });
    const ran: string[] = [];
    const turns = createConversationTurns({ store, runtime: runtimeWithEffect(), logger, runEffects: async (pending) => void ran.push(...pending.map((p) => p.effect.id)) });
    expect(turns.checksRepliesAtSave).toBe(true);
    // Another instance's coordinator asked a question in this conversation before its first turn.
    await redis.hset(`sg:${conversationGuards.coordinator}:${storageKeyOf('c-awaited')}`, 'rev', '1');
    const outcome = await turns.run('c-awaited', { kind: 'start' }, meta, undefined, { unlessReplyAwaited: true });
    expect(outcome).toMatchObject({ messages: [], effects: [], replyAwaited: { coordinator: true, mash: false } });
    expect(ran).toEqual([]);
    expect(await store.load('c-awaited')).toEqual({ rev: 0 });
    // Unguarded (the reply routes looked and took nothing), the same turn runs and its effect with it.
    expect((await turns.run('c-awaited', { kind: 'start' }, meta)).messages.length).toBeGreaterThan(0);
    expect(ran).toEqual(['decision-1']);
  });
});

it('a store that cannot check at its save answers "may wait" without running the turn', async () => {
  const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
  const turns = createConversationTurns({ store, runtime: createRuntime({ pack }), logger });
  expect(turns.checksRepliesAtSave).toBe(false);
  const outcome = await turns.run('c-embedded', { kind: 'start' }, meta, undefined, { unlessReplyAwaited: true });
  expect(outcome.replyAwaited).toEqual({ coordinator: true, mash: true });
  expect(await store.load('c-embedded')).toEqual({ rev: 0 });
});
