import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEnvelopeCipher,
  createTranscriptCodec,
  createRedisClient,
  createRedisTranscriptStore,
  createEmbeddedTranscriptStore,
  encryptionKey,
  rotateEmbeddedTranscripts,
  rotateRedisTranscripts,
  type TranscriptStore,
} from '../integrations';
import { createLogger, loadConfig } from '../server';
import { main as keysRotate } from '../server/cli/keysRotate';
import { createPersistence, type Persistence } from '../server/createPersistence';
import { createReferenceMashStore } from '../server/referenceMash/referenceMashStore';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';
import { captureCli } from './support/cliOutput';

/**
 * keys:rotate beyond the document stores: web chat transcripts (meta and activities), outbox payloads
 * still held (pending and parked), and the development reference MASH. Written under the old key
 * through the service's own stores, rotated by the CLI, then read with the new key alone.
 */
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const keysBoth = `${newKey.toString('base64')},${oldKey.toString('base64')}`;
const open = (env: NodeJS.ProcessEnv, key: Buffer): Promise<Persistence> => createPersistence(loadConfig(env), [encryptionKey(key)], createLogger('silent'));
const body = (clientReference: string) => ({ clientReference, child: { name: 'Test Child', dateOfBirth: '2012-05-01' } });

const run = (env: NodeJS.ProcessEnv) => captureCli((io) => keysRotate(env, io));

async function writeUnderOldKey(env: NodeJS.ProcessEnv): Promise<void> {
  const persistence = await open(env, oldKey);
  try {
    await persistence.transcripts.create({ conversationId: 'dl-rotate', user: { id: 'test.teacher@example.org', name: 'Test Teacher' }, createdAt: '2026-03-02T10:00:00.000Z' });
    await persistence.transcripts.append('dl-rotate', [
      { type: 'message', text: 'Test Child was missing overnight' },
      { type: 'message', text: 'second' },
    ]);
    await persistence.outbox.enqueue({ clientReference: 'REF-ROTATE-PARKED', target: { kind: 'referral' }, body: body('REF-ROTATE-PARKED') });
    const [item] = await persistence.outbox.claimDue('test', 1);
    await persistence.outbox.settle(item, { outcome: 'parked', reason: 'MASH 400' });
    await persistence.outbox.enqueue({ clientReference: 'REF-ROTATE-PENDING', target: { kind: 'referral' }, body: body('REF-ROTATE-PENDING') });
  } finally {
    await persistence.close();
  }
}

async function expectReadableWithNewKeyOnly(env: NodeJS.ProcessEnv): Promise<void> {
  const persistence = await open(env, newKey);
  try {
    expect((await persistence.transcripts.meta('dl-rotate'))?.user.name).toBe('Test Teacher');
    expect((await persistence.transcripts.read('dl-rotate', 0))?.map((e) => e.activity.text)).toEqual(['Test Child was missing overnight', 'second']);
    // The pending one is claimable with its payload; the parked one can be replayed with its payload.
    const [pending] = await persistence.outbox.claimDue('test', 5);
    expect(pending.entry?.body).toEqual(body('REF-ROTATE-PENDING'));
    expect((await persistence.outbox.replay('REF-ROTATE-PARKED')).ok).toBe(true);
    const [parked] = await persistence.outbox.claimDue('test-2', 5);
    expect(parked.entry?.body).toEqual(body('REF-ROTATE-PARKED'));
  } finally {
    await persistence.close();
  }
}

describe('npm run keys:rotate covers transcripts, outbox payloads and the reference MASH (embedded)', () => {
  it('re-encrypts them so the old key can be retired', async () => {
    const env = { DATA_DIR: tempDataDir() };
    await writeUnderOldKey(env);
    const oldMash = await createReferenceMashStore(env.DATA_DIR, createEnvelopeCipher([encryptionKey(oldKey)]));
    await oldMash.claimKey('idem-1', { hash: 'h', answer: { reference: 'MASH-2026-000001' } });
    const reference = await oldMash.allocateReference(new Date('2026-03-02T10:00:00Z'));

    const result = await run({ ...env, STATE_ENCRYPTION_KEYS: keysBoth });
    expect(result.code).toBe(0);
    expect(result.out).toContain('transcripts: 3 checked, 3 re-encrypted, 0 already current, 0 unreadable');
    expect(result.out).toContain('outbox: 2 checked, 2 re-encrypted, 0 already current, 0 unreadable');
    expect(result.out).toContain('reference-mash keys: 1 checked, 1 re-encrypted');
    expect(result.out).toContain('reference-mash sequence: 1 checked, 1 re-encrypted');
    expect(result.out).not.toMatch(/Test Child|Test Teacher/);

    await expectReadableWithNewKeyOnly(env);
    const newMash = await createReferenceMashStore(env.DATA_DIR, createEnvelopeCipher([encryptionKey(newKey)]));
    expect(await newMash.keyRecord('idem-1')).toEqual({ hash: 'h', answer: { reference: 'MASH-2026-000001' } });
    expect(await newMash.allocateReference(new Date('2026-03-02T10:00:00Z'))).not.toBe(reference);
    // Every envelope in the transcript and outbox files names the new key.
    const newKeyId = createEnvelopeCipher([encryptionKey(newKey)]).currentKeyId;
    for (const folder of ['transcripts', 'outbox/queue', 'outbox/done']) {
      for (const name of readdirSync(join(env.DATA_DIR, folder)).filter((n) => n.endsWith('.json'))) {
        const envelopes = readFileSync(join(env.DATA_DIR, folder, name), 'utf8').match(/v1\.[0-9a-f]+\./g) ?? [];
        expect(envelopes.every((e) => e === `v1.${newKeyId}.`)).toBe(true);
      }
    }
    const again = await run({ ...env, STATE_ENCRYPTION_KEYS: keysBoth });
    expect(again.out).toContain('transcripts: 3 checked, 0 re-encrypted, 3 already current, 0 unreadable');
  });

  it('loses no activity appended while it rotates', async () => {
    await appendsSurviveRotation(async () => {
      const dataDir = tempDataDir();
      const store = (key: Buffer) => createEmbeddedTranscriptStore({ dataDir, codec: createTranscriptCodec(createEnvelopeCipher([encryptionKey(key)])), ttlMs: 3_600_000 });
      return {
        oldStore: await store(oldKey),
        newStore: await store(newKey),
        rotate: () => rotateEmbeddedTranscripts(dataDir, createEnvelopeCipher([encryptionKey(newKey), encryptionKey(oldKey)])),
      };
    });
  });
});

/** Appends (under both keys, as instances restarting one by one do) race rotations; every activity must be there after. */
async function appendsSurviveRotation(make: () => Promise<{ oldStore: TranscriptStore; newStore: TranscriptStore; rotate: () => Promise<unknown> }>) {
  const { oldStore, newStore, rotate } = await make();
  await oldStore.create({ conversationId: 'dl-race', user: { id: 'test.teacher@example.org' }, createdAt: '2026-03-02T10:00:00.000Z' });
  const appends = Array.from({ length: 20 }, (_, i) => (i % 2 ? newStore : oldStore).append('dl-race', [{ type: 'message', text: `m${i}` }]));
  await Promise.all([...appends, rotate(), rotate()]);
  await rotate();
  const texts = (await newStore.read('dl-race', 0))?.map((e) => e.activity.text);
  expect(texts?.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
}

describeWithRedis('npm run keys:rotate covers transcripts and outbox payloads (Redis)', () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    const redis = newRedis();
    for (const prefix of prefixes) await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('re-encrypts them under a deployment key prefix so the old key can be retired', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix };
    await writeUnderOldKey(env);
    const result = await run({ ...env, STATE_ENCRYPTION_KEYS: keysBoth });
    expect(result.code).toBe(0);
    expect(result.out).toContain('transcripts: 3 checked, 3 re-encrypted, 0 already current, 0 unreadable');
    expect(result.out).toContain('outbox: 2 checked, 2 re-encrypted, 0 already current, 0 unreadable');
    await expectReadableWithNewKeyOnly(env);
  });

  it('loses no activity appended while it rotates', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const redis = createRedisClient(redisUrl());
    try {
      await appendsSurviveRotation(async () => {
        const store = (key: Buffer) =>
          createRedisTranscriptStore({ redis, codec: createTranscriptCodec(createEnvelopeCipher([encryptionKey(key)])), ttlMs: 3_600_000, keyPrefix: `${prefix}sg:` });
        return {
          oldStore: store(oldKey),
          newStore: store(newKey),
          rotate: () => rotateRedisTranscripts(redis, createEnvelopeCipher([encryptionKey(newKey), encryptionKey(oldKey)]), `${prefix}sg:`),
        };
      });
    } finally {
      redis.disconnect();
    }
  });
});
