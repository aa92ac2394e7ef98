import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { ConversationRecord } from '../flows';
import {
  createEmbeddedConversationStore,
  createEnvelopeCipher,
  createRecordCodec,
  createRedisConversationStore,
  encryptionKey,
  storageKeyOf,
  conversationGuards,
  type ConversationStore,
} from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const hour = 3600_000;

function record(turn: number, answer = 'advice'): ConversationRecord {
  return {
    machineId: 'conversation',
    machineVersion: 'conversation@1',
    snapshot: { value: 'menu', status: 'active', context: {} },
    trail: [{ type: 'ANSWER', questionId: 'menu', value: answer }],
    turn,
    contentVersion: '0.1.0',
    startedAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  };
}

/** The behaviour both stores must share, run against each. */
function storeContract(name: string, make: () => Promise<ConversationStore>) {
  describe(`${name} store contract`, () => {
    let store: ConversationStore;
    beforeEach(async () => {
      store = await make();
    });

    it('starts empty at revision 0 and saves with compare-and-set', async () => {
      expect(await store.load('conv-a')).toEqual({ rev: 0 });
      expect(await store.save('conv-a', record(1), 0)).toEqual({ ok: true, rev: 1 });
      expect(await store.load('conv-a')).toEqual({ rev: 1, record: record(1) });
      expect(await store.save('conv-a', record(2), 1)).toEqual({ ok: true, rev: 2 });
    });

    it('refuses a save based on a stale revision', async () => {
      await store.save('conv-b', record(1), 0);
      await store.save('conv-b', record(2), 1);
      expect(await store.save('conv-b', record(99), 1)).toEqual({ ok: false, reason: 'conflict' });
      expect((await store.load('conv-b')).record?.turn).toBe(2);
    });

    it('keeps conversations apart and deletes one', async () => {
      await store.save('conv-c', record(1, 'share'), 0);
      await store.save('conv-d', record(1, 'screen'), 0);
      await store.delete('conv-c');
      expect(await store.load('conv-c')).toEqual({ rev: 0 });
      expect((await store.load('conv-d')).record?.trail[0]).toMatchObject({ value: 'screen' });
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

let clock = Date.parse('2026-03-02T10:00:00Z');
storeContract('embedded', () => createEmbeddedConversationStore({ dataDir: tempDataDir(), codec, ttlMs: 24 * hour, now: () => clock }));

describe('embedded store on disk', () => {
  it('encrypts files, expires idle conversations and purges them', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedConversationStore({ dataDir, codec, ttlMs: 24 * hour, now: () => clock });
    await store.save('conv-ttl', record(1, 'unique-answer-value'), 0);
    const [file] = readdirSync(join(dataDir, 'conversations'));
    expect(file).toBe(`${storageKeyOf('conv-ttl')}.json`);
    expect(readFileSync(join(dataDir, 'conversations', file), 'utf8')).not.toMatch(/unique-answer-value|ANSWER|conv-ttl/);
    clock += 23 * hour;
    expect((await store.load('conv-ttl')).record).toBeDefined();
    clock += 2 * hour;
    expect((await store.load('conv-ttl')).record).toBeUndefined();
    expect(await store.purgeExpired()).toBe(1);
    expect(readdirSync(join(dataDir, 'conversations'))).toEqual([]);
  });

  it('reports a file it cannot decrypt as unreadable and lets the next save replace it', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedConversationStore({ dataDir, codec, ttlMs: hour });
    await store.save('conv-x', record(1), 0);
    const path = join(dataDir, 'conversations', `${storageKeyOf('conv-x')}.json`);
    writeFileSync(path, JSON.stringify({ rev: 1, expiresAt: Date.now() + hour, data: 'v1.deadbeef.a.b.c' }));
    expect(await store.load('conv-x')).toEqual({ rev: 1, unreadable: true });
    expect(await store.save('conv-x', record(2), 1)).toEqual({ ok: true, rev: 2 });
  });

  it('never loses an update when two store instances share one folder', async () => {
    const dataDir = tempDataDir();
    const [a, b] = await Promise.all([0, 1].map(() => createEmbeddedConversationStore({ dataDir, codec, ttlMs: hour })));
    const increment = async (store: ConversationStore) => {
      for (;;) {
        const { rev, record: current } = await store.load('shared');
        if ((await store.save('shared', record((current?.turn ?? 0) + 1), rev)).ok) return;
      }
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? a : b)));
    expect((await a.load('shared')).record?.turn).toBe(40);
  });
});

describe('embedded store remembering what it last saved (issue 23: no file read before a turn)', () => {
  const remember = { maxEntries: 100, maxAgeMs: hour };
  const open = (dataDir: string, now?: () => number) => createEmbeddedConversationStore({ dataDir, codec, ttlMs: hour, remember, ...(now ? { now } : {}) });
  const turn = async (store: ConversationStore, id: string, answer: string) => {
    const stored = await store.loadForUpdate!(id);
    return store.save(id, record((stored.record?.turn ?? 0) + 1, answer), stored.rev);
  };
  const fileOf = (dataDir: string, id: string) => join(dataDir, 'conversations', `${storageKeyOf(id)}.json`);

  it('answers a turn from memory, and the save still checks the file: a newer save by another process is kept', async () => {
    const dataDir = tempDataDir();
    const [a, b] = [await open(dataDir), await open(dataDir)];
    await turn(a, 'conv-e1', 'from-a');
    writeFileSync(fileOf(dataDir, 'conv-e1'), 'not read when remembered');
    expect(await a.loadForUpdate!('conv-e1')).toMatchObject({ rev: 1, record: { trail: [{ value: 'from-a' }] } });
    expect(await a.save('conv-e1', record(2, 'onto a broken file?'), 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await a.loadForUpdate!('conv-e1')).toEqual({ rev: 1, unreadable: true }); // the refusal sent it back to the file

    const shared = 'conv-e2';
    await turn(a, shared, 'from-a');
    await turn(b, shared, 'from-b');
    expect(await a.loadForUpdate!(shared)).toMatchObject({ rev: 1 }); // stale, from memory
    expect(await turn(a, shared, 'lost?')).toEqual({ ok: false, reason: 'conflict' });
    expect(await turn(a, shared, 'after-b')).toEqual({ ok: true, rev: 3 });
    expect(await b.load(shared)).toMatchObject({ rev: 3, record: { turn: 3, trail: [{ value: 'after-b' }] } });
  });

  it('never writes over a conversation erased and started again by another process at the same revision', async () => {
    const dataDir = tempDataDir();
    const [a, b] = [await open(dataDir), await open(dataDir)];
    await turn(a, 'conv-e3', 'before-erasure');
    await b.delete('conv-e3');
    await turn(b, 'conv-e3', 'new-conversation');
    expect(await a.loadForUpdate!('conv-e3')).toMatchObject({ rev: 1, record: { trail: [{ value: 'before-erasure' }] } });
    expect(await a.save('conv-e3', record(2, 'resurrected'), 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await a.loadForUpdate!('conv-e3')).toMatchObject({ rev: 1, record: { trail: [{ value: 'new-conversation' }] } });
  });

  it('forgets a conversation it erased, and one past its expiry reads as gone, as its file would', async () => {
    let clock = Date.parse('2026-12-06T20:00:00Z');
    const dataDir = tempDataDir();
    const store = await open(dataDir, () => clock);
    await turn(store, 'conv-e4', 'erased');
    await store.delete('conv-e4');
    expect(await store.loadForUpdate!('conv-e4')).toEqual({ rev: 0 });
    await turn(store, 'conv-e5', 'idle');
    clock += 2 * hour;
    expect(await store.loadForUpdate!('conv-e5')).toEqual({ rev: 1 });
  });
});

describeWithRedis('Redis store', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
  });

  storeContract('redis', async () => createRedisConversationStore({ redis, codec, ttlMs: hour, keyPrefix: prefix }));

  it('stores only ciphertext and sets the idle expiry on every save', async () => {
    const store = createRedisConversationStore({ redis, codec, ttlMs: 2 * hour, keyPrefix: prefix });
    await store.save('conv-r', record(1, 'unique-answer-value'), 0);
    const key = `${prefix}conv:${storageKeyOf('conv-r')}`;
    const data = await redis.hget(key, 'data');
    expect(data).toMatch(/^v1\./);
    expect(data).not.toMatch(/unique-answer-value|ANSWER/);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(2 * hour - 60_000);
    expect(ttl).toBeLessThanOrEqual(2 * hour);
  });

  describe('remembering revisions (issue 23: one round trip per turn)', () => {
    const remember = { maxEntries: 100, maxAgeMs: hour };
    const open = () => createRedisConversationStore({ redis, codec, ttlMs: hour, keyPrefix: prefix, remember });
    /** Commands the client sends while `work` runs (an EVALSHA the server does not know yet is sent again as EVAL). */
    async function commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
      const sent: string[] = [];
      const original = redis.sendCommand.bind(redis);
      const spy = jest.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
        sent.push(command.name);
        return original(command, stream);
      });
      try {
        await work();
      } finally {
        spy.mockRestore();
      }
      return sent;
    }
    const turn = async (store: ConversationStore, id: string, answer: string) => {
      const stored = await store.loadForUpdate!(id);
      return store.save(id, record((stored.record?.turn ?? 0) + 1, answer), stored.rev);
    };

    it('takes a turn on a conversation this instance saved last with one command', async () => {
      const store = open();
      await turn(store, 'conv-1', 'first');
      expect(await commandsDuring(() => turn(store, 'conv-1', 'second'))).toEqual(['evalsha']);
      expect(await open().load('conv-1')).toMatchObject({ rev: 2, record: { turn: 2, trail: [{ value: 'second' }] } });
    });

    it("retries on another instance's newer save without loading it again, and loses neither update", async () => {
      const [a, b] = [open(), open()];
      await turn(a, 'conv-2', 'from-a');
      await turn(b, 'conv-2', 'from-b');
      const stale = await a.loadForUpdate!('conv-2');
      expect(stale.rev).toBe(1);
      const sent = await commandsDuring(async () => {
        expect(await a.save('conv-2', record(2, 'lost?'), stale.rev)).toEqual({ ok: false, reason: 'conflict' });
        const fresh = await a.loadForUpdate!('conv-2');
        expect(fresh).toMatchObject({ rev: 2, record: { trail: [{ value: 'from-b' }] } });
        expect(await a.save('conv-2', record(3, 'after-b'), fresh.rev)).toEqual({ ok: true, rev: 3 });
      });
      expect(sent).toEqual(['evalsha', 'evalsha']);
    });

    it('never writes over a conversation erased and started again elsewhere at the same revision', async () => {
      const [a, b] = [open(), open()];
      await turn(a, 'conv-3', 'before-erasure');
      await b.delete('conv-3');
      await turn(b, 'conv-3', 'new-conversation');
      const remembered = await a.loadForUpdate!('conv-3');
      expect(remembered).toMatchObject({ rev: 1, record: { trail: [{ value: 'before-erasure' }] } });
      expect(await a.save('conv-3', record(2, 'resurrected'), remembered.rev)).toEqual({ ok: false, reason: 'conflict' });
      expect(await a.loadForUpdate!('conv-3')).toMatchObject({ rev: 1, record: { trail: [{ value: 'new-conversation' }] } });
    });

    it('keeps a conversation the epoch it was created with through remembered turns and a retry', async () => {
      const [a, b] = [open(), open()];
      await turn(a, 'conv-5', 'first');
      const epochOf = () => redis.hget(`${prefix}conv:${storageKeyOf('conv-5')}`, 'epoch');
      const created = await epochOf();
      expect(created).toMatch(/^[0-9a-f]{16}$/);
      await turn(a, 'conv-5', 'second'); // remembered: one script, no new epoch drawn
      await turn(b, 'conv-5', 'third'); // another instance: the first's next save fails its check, then retries
      expect(await turn(a, 'conv-5', 'fourth')).toEqual({ ok: false, reason: 'conflict' });
      expect(await turn(a, 'conv-5', 'fourth')).toEqual({ ok: true, rev: 4 });
      expect(await epochOf()).toBe(created);
      expect(await open().load('conv-5')).toMatchObject({ rev: 4, record: { trail: [{ value: 'fourth' }] } });
    });

    it('starts again after an erasure elsewhere instead of saving onto the erased revision', async () => {
      const [a, b] = [open(), open()];
      await turn(a, 'conv-4', 'before-erasure');
      await b.delete('conv-4');
      expect(await a.save('conv-4', record(2, 'resurrected'), 1)).toEqual({ ok: false, reason: 'conflict' });
      expect(await a.loadForUpdate!('conv-4')).toEqual({ rev: 0 });
      expect(await b.load('conv-4')).toEqual({ rev: 0 });
    });

    describe("a turn guarded by the replies awaited (a coordinator's or the MASH's question)", () => {
      const guarded = () => createRedisConversationStore({ redis, codec, ttlMs: hour, keyPrefix: prefix, remember, guards: conversationGuards });
      const guardedTurn = async (store: ConversationStore, id: string, answer: string) => {
        const stored = await store.loadForUpdate!(id);
        return store.saveUnlessPresent!(id, record((stored.record?.turn ?? 0) + 1, answer), stored.rev, ['coordinator', 'mash']);
      };
      /** What another instance's `askInConversation` / `awaitReply` leaves: the guard's document exists. */
      const markerKey = (namespace: string, id: string) => `${prefix}${namespace}:${storageKeyOf(id)}`;

      it('checks both guards inside the one compare-and-set script of a remembered turn', async () => {
        const store = guarded();
        expect(store.guards).toEqual(['coordinator', 'mash']);
        await guardedTurn(store, 'conv-g1', 'first');
        expect(await commandsDuring(() => guardedTurn(store, 'conv-g1', 'second'))).toEqual(['evalsha']);
        expect(await open().load('conv-g1')).toMatchObject({ rev: 2, record: { trail: [{ value: 'second' }] } });
      });

      it('writes nothing and names the guard when another instance set it between two turns', async () => {
        const store = guarded();
        await guardedTurn(store, 'conv-g2', 'first');
        await redis.hset(markerKey(conversationGuards.mash, 'conv-g2'), 'rev', '1', 'data', 'set elsewhere');
        const sent = await commandsDuring(async () =>
          expect(await guardedTurn(store, 'conv-g2', 'an answer to the MASH')).toEqual({ ok: false, reason: 'present', present: ['mash'] }),
        );
        expect(sent).toEqual(['evalsha']);
        await redis.hset(markerKey(conversationGuards.coordinator, 'conv-g2'), 'rev', '1', 'data', 'set elsewhere');
        expect(await guardedTurn(store, 'conv-g2', 'to both')).toEqual({ ok: false, reason: 'present', present: ['coordinator', 'mash'] });
        expect(await open().load('conv-g2')).toMatchObject({ rev: 1, record: { trail: [{ value: 'first' }] } });
        // Once both are taken the same remembered revision saves: the refusal left the memory as it was.
        await redis.del(markerKey(conversationGuards.mash, 'conv-g2'), markerKey(conversationGuards.coordinator, 'conv-g2'));
        expect(await guardedTurn(store, 'conv-g2', 'next')).toEqual({ ok: true, rev: 2 });
      });

      it('a plain save ignores the guards (the reply routes have already looked)', async () => {
        const store = guarded();
        await redis.hset(markerKey(conversationGuards.coordinator, 'conv-g3'), 'rev', '1', 'data', 'set elsewhere');
        expect(await turn(store, 'conv-g3', 'after the routes')).toEqual({ ok: true, rev: 1 });
      });
    });
  });
});
