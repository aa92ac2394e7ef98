import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { activitySet } from './support/activities';
import { sharedSetup, startDirectLineServer, type SharedSetup } from './support/directLineServer';
import { bodyAs } from './support/json';
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
      expect(first.map((e) => [e.seq, e.activity.id])).toEqual([
        [1, 'conv-b|0000001'],
        [2, 'conv-b|0000002'],
      ]);
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
      const seqs = appended
        .flat()
        .map((e) => e.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.read('conv-c', 0))?.map((e) => e.seq)).toEqual(seqs);
    });

    it('trims the oldest activities beyond the cap while watermarks keep increasing', async () => {
      const store = await make({ ttlMs: hour, maxActivities: 3 });
      await store.create(meta('conv-d'));
      for (let i = 1; i <= 5; i++) await store.append('conv-d', [message(`m${i}`)]);
      expect((await store.read('conv-d', 0))?.map((e) => [e.seq, e.activity.text])).toEqual([
        [3, 'm3'],
        [4, 'm4'],
        [5, 'm5'],
      ]);
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

describe('embedded transcript store appends, never rewrites (pen test M1)', () => {
  const files = (dataDir: string, conversationId: string) => {
    const base = join(dataDir, 'transcripts', storageKeyOf(conversationId));
    return { head: `${base}.json`, log: `${base}.log` };
  };

  it('writes only the new lines and a small head on each append: earlier entries stay byte for byte', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: hour });
    await store.create(meta('append-only'));
    for (let i = 0; i < 20; i++) await store.append('append-only', [message(`message ${i} ${'x'.repeat(2000)}`)]);
    const { head, log } = files(dataDir, 'append-only');
    const before = readFileSync(log, 'utf8');
    await store.append('append-only', [message('one more')]);
    const after = readFileSync(log, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.split('\n').filter(Boolean)).toHaveLength(21);
    expect(readFileSync(head, 'utf8').length).toBeLessThan(2000);
    expect(after).not.toMatch(/message|one more/);
    expect((await store.read('append-only', 19))?.map((e) => e.activity.text)).toEqual([expect.stringMatching(/^message 19/), 'one more']);
  });

  it('keeps the log within twice the cap by compacting it, and serves only the newest entries', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: hour, maxActivities: 3 });
    await store.create(meta('compact'));
    for (let i = 1; i <= 10; i++) await store.append('compact', [message(`m${i}`)]);
    expect(readFileSync(files(dataDir, 'compact').log, 'utf8').split('\n').filter(Boolean).length).toBeLessThanOrEqual(6);
    expect((await store.read('compact', 0))?.map((e) => [e.seq, e.activity.text])).toEqual([
      [8, 'm8'],
      [9, 'm9'],
      [10, 'm10'],
    ]);
  });

  it('survives a crash mid-append: a torn last line and a line the head never committed are ignored', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: hour });
    await store.create(meta('torn'));
    await store.append('torn', [message('first')]);
    const { log } = files(dataDir, 'torn');
    const stray = { seq: 2, data: codec.activity.encode(`${storageKeyOf('torn')}:2`, message('never committed')) };
    appendFileSync(log, `${JSON.stringify(stray)}\n{"seq":3,"da`);
    expect((await store.read('torn', 0))?.map((e) => e.activity.text)).toEqual(['first']);
    await store.append('torn', [message('second')]);
    expect((await store.read('torn', 0))?.map((e) => [e.seq, e.activity.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
  });

  it('reads a transcript written by the previous version (one file) and appends to it', async () => {
    const dataDir = tempDataDir();
    const store = await createEmbeddedTranscriptStore({ dataDir, codec, ttlMs: hour });
    const key = storageKeyOf('old-format');
    const entries = [1, 2].map((seq) => ({ seq, data: codec.activity.encode(`${key}:${seq}`, message(`old ${seq}`)) }));
    writeFileSync(files(dataDir, 'old-format').head, JSON.stringify({ v: 1, expiresAt: Date.now() + hour, lastSeq: 2, meta: codec.meta.encode(key, meta('old-format')), entries }));
    expect((await store.read('old-format', 0))?.map((e) => e.activity.text)).toEqual(['old 1', 'old 2']);
    await store.append('old-format', [message('new 3')]);
    expect((await store.read('old-format', 1))?.map((e) => [e.seq, e.activity.text])).toEqual([
      [2, 'old 2'],
      [3, 'new 3'],
    ]);
    expect(await store.meta('old-format')).toMatchObject({ conversationId: 'old-format' });
    expect(await store.erase('old-format')).toBe(true);
    expect(readdirSync(join(dataDir, 'transcripts')).filter((n) => !n.endsWith('.lock'))).toEqual([]);
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
    const page = await bodyAs(await fetch(`${after.domain}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } }), activitySet);
    expect(page.activities.map((a) => a.text)).toEqual(expect.arrayContaining(['Who can I call?']));
    expect(page.activities.some((a) => /I help professionals/.test(a.text ?? ''))).toBe(true);
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
