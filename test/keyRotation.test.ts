import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEmbeddedDocumentStore,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createRedisDocumentStore,
  encryptionKey,
  rotateRedisDocuments,
  documentKinds,
  type DocumentKind,
  type DocumentKindName,
} from '../integrations';
import { main as keysRotate } from '../server/cli/keysRotate';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const oldOnly = createEnvelopeCipher([encryptionKey(oldKey)]);
const newOnly = createEnvelopeCipher([encryptionKey(newKey)]);
const childSchema = z.object({ childName: z.string(), dateOfBirth: z.string() });
const child = { childName: 'Test Child', dateOfBirth: '2012-05-01' };
const kind = (name: DocumentKindName): DocumentKind => documentKinds[name];
const codecFor = (cipher: typeof oldOnly, k: DocumentKind) => createEncryptedJsonCodec(cipher, childSchema, (key) => `${k.context}:${key}`);

function run(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return keysRotate(env, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out, err }));
}

describe('npm run keys:rotate on the embedded store', () => {
  it('re-encrypts data written under the old key so that only the new key is needed, and is idempotent', async () => {
    const dataDir = tempDataDir();
    const embedded = (cipher: typeof oldOnly, k: DocumentKind) => createEmbeddedDocumentStore({ dataDir, folder: k.folder, codec: codecFor(cipher, k), ttlMs: 3_600_000 });
    const oldConversations = await embedded(oldOnly, kind('conversations'));
    const oldHandoffs = await embedded(oldOnly, kind('handoffs'));
    await oldConversations.save('conv-1', child, 0);
    await oldConversations.save('conv-2', child, 0);
    await oldHandoffs.save('handoff-1', child, 0);
    const decision = (id: string) => ({
      id,
      recordType: 'sharing-decision',
      recordedAt: '2026-03-02T10:00:00.000Z',
      actor: { channelId: 'msteams', userId: 'user-1' },
      payload: { outcome: 'share' },
    });
    const oldAudit = await createEmbeddedAuditLog({ dataDir, codec: createAuditCodec(oldOnly) });
    await oldAudit.append(decision('d-1'));
    await oldAudit.append(decision('d-2'));
    expect((await (await embedded(newOnly, kind('conversations'))).load('conv-1')).unreadable).toBe(true);

    const keys = `${newKey.toString('base64')},${oldKey.toString('base64')}`;
    const first = await run({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEYS: keys });
    expect(first.code).toBe(0);
    expect(first.out).toContain('conversations: 2 checked, 2 re-encrypted, 0 already current, 0 unreadable');
    expect(first.out).toContain('handoffs: 1 checked, 1 re-encrypted, 0 already current, 0 unreadable');
    expect(first.out).toContain('audit: 2 checked, 2 re-encrypted, 0 already current, 0 unreadable');
    expect(first.out.join('\n')).not.toMatch(/Test Child|conv-1/);

    const conversations = await embedded(newOnly, kind('conversations'));
    expect(await conversations.load('conv-1')).toEqual({ rev: 1, record: child });
    expect(await (await embedded(newOnly, kind('handoffs'))).load('handoff-1')).toEqual({ rev: 1, record: child });
    const newAudit = await createEmbeddedAuditLog({ dataDir, codec: createAuditCodec(newOnly) });
    expect(await newAudit.get('d-2')).toEqual(decision('d-2'));
    expect(await newAudit.verify()).toEqual({ ok: true, records: 2, chained: 2, unchained: 0 });
    // A writer that loaded rev 1 before the rotation still saves (the revision was kept).
    expect(await conversations.save('conv-2', { ...child, childName: 'Test Child B' }, 1)).toEqual({ ok: true, rev: 2 });

    const again = await run({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEYS: keys });
    expect(again.out).toContain('conversations: 2 checked, 0 re-encrypted, 2 already current, 0 unreadable');
  });

  it('refuses to report success while a record is readable by none of the configured keys', async () => {
    const dataDir = tempDataDir();
    const k = kind('conversations');
    const store = await createEmbeddedDocumentStore({ dataDir, folder: k.folder, codec: codecFor(oldOnly, k), ttlMs: 3_600_000 });
    await store.save('conv-1', child, 0);
    const result = await run({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEYS: newKey.toString('base64') });
    expect(result.code).toBe(1);
    expect(result.out).toContain('conversations: 1 checked, 0 re-encrypted, 0 already current, 1 unreadable');
    expect(result.err.join('\n')).toMatch(/keep the old keys/);
  });

  it('rejects STATE_ENCRYPTION_KEY and STATE_ENCRYPTION_KEYS together', async () => {
    const result = await run({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: newKey.toString('base64'), STATE_ENCRYPTION_KEYS: oldKey.toString('base64') });
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(/SG-CONFIG-INVALID: STATE_ENCRYPTION_KEYS and STATE_ENCRYPTION_KEY cannot both be set/);
  });
});

describeWithRedis('key rotation on Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('re-encrypts under the newest key, keeps the expiry, and counts records already under it as current', async () => {
    const k = kind('conversations');
    const store = (cipher: typeof oldOnly) => createRedisDocumentStore({ redis, codec: codecFor(cipher, k), ttlMs: 3_600_000, keyPrefix: prefix, namespace: k.namespace });
    await store(oldOnly).save('conv-1', child, 0);
    await store(oldOnly).save('conv-2', child, 0);
    await store(newOnly).save('conv-3', child, 0);
    const both = createEnvelopeCipher([encryptionKey(newKey), encryptionKey(oldKey)]);

    expect(await rotateRedisDocuments(redis, k, both, prefix)).toEqual({ checked: 3, reencrypted: 2, current: 1, unreadable: 0 });
    expect(await store(newOnly).load('conv-1')).toEqual({ rev: 1, record: child });
    expect(await store(newOnly).load('conv-2')).toEqual({ rev: 1, record: child });
    const ttls = await Promise.all((await redis.keys(`${prefix}conv:*`)).map((key) => redis.pttl(key)));
    expect(ttls.every((ttl) => ttl > 0)).toBe(true);
    expect(await rotateRedisDocuments(redis, k, both, prefix)).toEqual({ checked: 3, reencrypted: 0, current: 3, unreadable: 0 });
  });
});
