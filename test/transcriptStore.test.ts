import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  createEmbeddedTranscriptStore,
  createEnvelopeCipher,
  createRedisConversationStore,
  createRecordCodec,
  createRedisTranscriptStore,
  createTranscriptCodec,
  encryptionKey,
  storageKeyOf,
  type TranscriptStore,
} from '../integrations';
import { isQuestion, officialClient, textMatches } from './support/directLineClient';
import { bodyOf, sharedSetup, startDirectLineServer, type SharedSetup } from './support/directLineServer';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const codec = createTranscriptCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const hour = 3600_000;
const meta = (conversationId: string) => ({ conversationId, user: { id: 'pro-1', name: 'Unique Professional Name' }, createdAt: '2026-03-02T10:00:00.000Z' });
const message = (text: string) => ({ type: 'message', text });

/** The behaviour both transcript stores share, run against each. */
function transcriptContract(name: string, make: (options: { ttlMs: number; maxActivities?: number }) => Promise<TranscriptStore>) {
  describe(`${name} transcript store contract`, () => {
    it('creates a conversation once and keeps its bound professional', async () => {
      const store = await make({ ttlMs: hour });
      expect(await store.meta('conv-a')).toBeUndefined();
      expect(await store.read('conv-a', 0)).toBeUndefined();
      expect(await store.create(meta('conv-a'))).toBe(true);
      expect(await store.create({ ...meta('conv-a'), user: { id: 'someone-else' } })).toBe(false);
      expect(await store.meta('conv-a')).toEqual(meta('conv-a'));
      expect(await store.read('conv-a', 0)).toEqual([]);
    });

    it('appends with increasing watermarks and conventional ids, and reads after a watermark', async () => {
      const store = await make({ ttlMs: hour });
      await store.create(meta('conv-b'));
      const first = await store.append('conv-b', [message('one'), message('two')]);
      expect(first.map((e) => [e.seq, e.activity.id])).toEqual([[1, 'conv-b|0000001'], [2, 'conv-b|0000002']]);
      const [third] = await store.append('conv-b', [{ ...message('two, edited'), id: 'conv-b|0000002' }]);
      expect(third).toEqual({ seq: 3, activity: { type: 'message', text: 'two, edited', id: 'conv-b|0000002' } });
      expect((await store.read('conv-b', 1))?.map((e) => e.activity.text)).toEqual(['two', 'two, edited']);
      expect(await store.read('conv-b', 3)).toEqual([]);
    });

    it('refuses to append to a conversation that does not exist', async () => {
      const store = await make({ ttlMs: hour });
      await expect(store.append('conv-missing', [message('x')])).rejects.toThrow(/SG-HTTP-NOT-FOUND/);
    });

    it('never hands out one watermark twice under concurrent appends', async () => {
      const store = await make({ ttlMs: hour });
      await store.create(meta('conv-c'));
      const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('conv-c', [message(`m${i}`)])));
      const seqs = appended.flat().map((e) => e.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.read('conv-c', 0))?.map((e) => e.seq)).toEqual(seqs);
    });

    it('trims the oldest activities beyond the cap while watermarks keep increasing', async () => {
      const store = await make({ ttlMs: hour, maxActivities: 3 });
      await store.create(meta('conv-d'));
      for (let i = 1; i <= 5; i++) await store.append('conv-d', [message(`m${i}`)]);
      expect((await store.read('conv-d', 0))?.map((e) => [e.seq, e.activity.text])).toEqual([[3, 'm3'], [4, 'm4'], [5, 'm5']]);
      expect((await store.append('conv-d', [message('m6')]))[0].seq).toBe(6);
    });

    it('keeps conversations apart', async () => {
      const store = await make({ ttlMs: hour });
      await store.create(meta('conv-e'));
      await store.create(meta('conv-f'));
      await store.append('conv-e', [message('for e')]);
      expect(await store.read('conv-f', 0)).toEqual([]);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

let clock = Date.parse('2026-03-02T10:00:00Z');
transcriptContract('embedded', (o) => createEmbeddedTranscriptStore({ dataDir: tempDataDir(), codec, now: () => clock, ...o }));

describe('embedded transcript store on disk', () => {
  it('encrypts, expires idle transcripts (refreshed by every append) and purges them', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: 24 * hour, now: () => clock });
    await store.create(meta('conv-ttl'));
    clock += 20 * hour;
    await store.append('conv-ttl', [message('Unique child detail')]);
    const file = join(dataDir, 'transcripts', `${storageKeyOf('conv-ttl')}.json`);
    expect(readFileSync(file, 'utf8')).not.toMatch(/Unique|conv-ttl|pro-1/);
    clock += 23 * hour; // 43 h after creation, 23 h after the last activity
    expect(await store.read('conv-ttl', 0)).toHaveLength(1);
    clock += 2 * hour;
    expect(await store.read('conv-ttl', 0)).toBeUndefined();
    expect(await store.meta('conv-ttl')).toBeUndefined();
    expect(await store.purgeExpired()).toBe(1);
    expect(readdirSync(join(dataDir, 'transcripts'))).toEqual([]);
  });

  it('shares one folder between two processes without reusing a watermark', async () => {
    const dataDir = tempDataDir();
    const [a, b] = await Promise.all([0, 1].map(() => createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: hour })));
    await a.create(meta('shared'));
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).append('shared', [message(`m${i}`)])));
    expect((await b.read('shared', 0))?.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

describeWithRedis('Redis transcript store', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteByPrefix(redis, prefix);
    await redis.quit();
  });
  const fresh = () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return prefix;
  };

  transcriptContract('redis', async (o) => createRedisTranscriptStore({ redis, codec, keyPrefix: fresh(), ...o }));

  it('stores only ciphertext and refreshes the idle expiry on every append', async () => {
    const prefix = fresh();
    const store = createRedisTranscriptStore({ redis, codec, ttlMs: 2 * hour, keyPrefix: prefix });
    await store.create(meta('conv-r'));
    await redis.pexpire(`${prefix}dl:{${storageKeyOf('conv-r')}}`, 1000);
    await store.append('conv-r', [message('Unique child detail')]);
    for (const key of await redis.keys(`${prefix}*`)) {
      expect(await redis.pttl(key)).toBeGreaterThan(2 * hour - 60_000);
      const dump = JSON.stringify(key.endsWith(':log') ? await redis.xrange(key, '-', '+') : await redis.hgetall(key));
      expect(dump).not.toMatch(/Unique|conv-r|pro-1/);
    }
  });
});

/** A professional's conversation, then the service restarts (a new factory on the same store). */
async function survivesRestart(shared: SharedSetup, transcripts?: () => TranscriptStore, store?: () => ReturnType<typeof createRedisConversationStore>) {
  const options = (s: SharedSetup) => ({ shared: s, ...(transcripts ? { transcripts } : {}), ...(store ? { store: store() } : {}) });
  const before = await startDirectLineServer(options(shared));
  const { token, conversationId } = await before.startConversation({ id: 'pro-restart', name: 'Test Professional' });
  const first = officialClient({ domain: before.domain, token, webSocket: false });
  await first.waitFor(isQuestion('menu'), 'menu question');
  await first.post({ type: 'message', text: 'Who can I call?' });
  await first.waitFor(textMatches(/Emergency Duty Team/), 'advice reply');
  first.end();
  await before.close();

  const after = await startDirectLineServer(options(shared));
  try {
    const page = await bodyOf(await fetch(`${after.domain}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } }));
    expect(page.activities.map((a: { text: string }) => a.text)).toEqual(expect.arrayContaining(['Who can I call?']));
    expect(page.activities.some((a: { text: string }) => /I help professionals/.test(a.text))).toBe(true);
    const resumed = officialClient({ domain: after.domain, token, conversationId, watermark: page.watermark, webSocket: true });
    await resumed.post({ type: 'message', text: 'help' });
    await resumed.waitFor(textMatches(/Pick what you need/), 'help reply after the restart');
    resumed.end();
  } finally {
    await after.close();
  }
}

describe('a restart keeps the transcript', () => {
  it('with the embedded store', async () => {
    await survivesRestart(sharedSetup());
  });
});

describeWithRedis('a restart keeps the transcript', () => {
  it('with the Redis store', async () => {
    const redis = newRedis();
    const prefix = uniquePrefix();
    const shared = sharedSetup();
    try {
      await survivesRestart(
        shared,
        () => createRedisTranscriptStore({ redis, codec: createTranscriptCodec(shared.cipher), ttlMs: hour, keyPrefix: prefix }),
        () => createRedisConversationStore({ redis, codec: createRecordCodec(shared.cipher), ttlMs: hour, keyPrefix: prefix }),
      );
    } finally {
      await deleteByPrefix(redis, prefix);
      await redis.quit();
    }
  });
});
