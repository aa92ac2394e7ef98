import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEnvelopeCipher,
  createRedisAuditLog,
  redisAuditKeys,
  encryptionKey,
  type AuditEntry,
  type AuditLog,
} from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));

function entry(id: string, outcome = 'share-without-consent'): AuditEntry {
  return {
    id,
    recordType: 'sharing-decision',
    recordedAt: '2026-03-02T10:00:00.000Z',
    actor: { channelId: 'msteams', userId: 'user-1', userName: 'Test Professional' },
    payload: { outcome, reason: 'would-increase-risk', recipient: 'mash' },
  };
}

function auditContract(name: string, make: () => Promise<AuditLog>) {
  describe(`${name} audit log`, () => {
    it('appends once per id, reads back by id and lists in order', async () => {
      const audit = await make();
      expect(await audit.append(entry('d-1'))).toEqual({ appended: true });
      expect(await audit.append(entry('d-2', 'share'))).toEqual({ appended: true });
      expect(await audit.append(entry('d-1', 'changed'))).toEqual({ appended: false });
      expect(await audit.get('d-1')).toEqual(entry('d-1'));
      expect(await audit.get('missing')).toBeUndefined();
      expect((await audit.list()).map((e) => e.id)).toEqual(['d-1', 'd-2']);
    });
  });
}

auditContract('embedded', () => createEmbeddedAuditLog({ dataDir: tempDataDir(), codec }));

describe('embedded audit log on disk', () => {
  it('is encrypted and shared safely by two instances on one folder', async () => {
    const dataDir = tempDataDir();
    const [a, b] = await Promise.all([0, 1].map(() => createEmbeddedAuditLog({ dataDir, codec })));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(entry(`same-${i % 5}`))));
    expect(results.filter((r) => r.appended)).toHaveLength(5);
    expect(await b.get('same-3')).toEqual(entry('same-3'));
    const text = readFileSync(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(5);
    expect(text).not.toMatch(/Test Professional|would-increase-risk|mash/);
  });
});

describeWithRedis('Redis audit log', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  auditContract('redis', async () => createRedisAuditLog({ redis, codec, keyPrefix: `${prefix}${randomBytes(2).toString('hex')}:` }));

  it('stores ciphertext only and appends once under concurrent retries', async () => {
    const keyPrefix = `${prefix}concurrent:`;
    const audit = createRedisAuditLog({ redis, codec, keyPrefix });
    const results = await Promise.all(Array.from({ length: 10 }, () => audit.append(entry('retried'))));
    expect(results.filter((r) => r.appended)).toHaveLength(1);
    const keys = redisAuditKeys(keyPrefix);
    const raw = JSON.stringify([await redis.xrange(keys.stream, '-', '+'), await redis.hgetall(keys.data)]);
    expect(raw).toContain('retried');
    expect(raw).not.toMatch(/Test Professional|would-increase-risk/);
  });
});
