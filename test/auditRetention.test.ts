import { expect } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEnvelopeCipher,
  createRedisAuditLog,
  createRedisStoreMarkers,
  encryptionKey,
  redisAuditKeys,
  type AuditEntry,
} from '../integrations';
import { createLogger, loadConfig } from '../server';
import { main as auditVerify } from '../server/cli/auditVerify';
import { auditCutoff, purgeExpiredAudit } from '../server/retention/auditRetention';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { captureCli } from './support/cliOutput';

const decision = (id: string, recordedAt: string): AuditEntry => ({
  id,
  recordType: 'sharing-decision',
  recordedAt,
  actor: { channelId: 'msteams', userId: 'user-1', userName: 'Test Teacher' },
  payload: { outcome: 'share-with-consent' },
});
const silent = createLogger('silent');
const now = new Date('2026-11-28T12:00:00.000Z');

describe('audit retention settings', () => {
  it('keeps audit records 7 years by default, configurable in whole years', () => {
    expect(loadConfig({}).RETENTION_AUDIT_YEARS).toBe(7);
    expect(loadConfig({ RETENTION_AUDIT_YEARS: '10' }).RETENTION_AUDIT_YEARS).toBe(10);
    expect(() => loadConfig({ RETENTION_AUDIT_YEARS: '0' })).toThrow('RETENTION_AUDIT_YEARS must be a whole number of years from 1 to 100');
    expect(auditCutoff(now, 7).toISOString()).toBe('2019-11-28T12:00:00.000Z');
  });
});

describe('audit retention on the embedded log', () => {
  async function logWithOldAndNew() {
    const key = testKey();
    const dataDir = tempDataDir();
    const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(key, 'base64'))]));
    const audit = await createEmbeddedAuditLog({ dataDir, codec });
    for (let i = 1; i <= 5; i += 1) await audit.append(decision(`old-${i}`, `2018-0${i}-01T09:00:00.000Z`));
    for (let i = 1; i <= 3; i += 1) await audit.append(decision(`new-${i}`, `2026-0${i}-01T09:00:00.000Z`));
    const file = join(dataDir, 'audit', 'audit.jsonl');
    const verify = () => captureCli((io) => auditVerify({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key }, io));
    return { audit, codec, dataDir, file, verify };
  }

  it('purges records older than the retention period, records the purge, and the chain still verifies', async () => {
    const log = await logWithOldAndNew();
    // A second instance opened before the purge must notice the rewritten file.
    const other = await createEmbeddedAuditLog({ dataDir: log.dataDir, codec: log.codec });
    expect(await other.get('old-1')).toMatchObject({ id: 'old-1' });

    expect(await purgeExpiredAudit(log.audit, 7, silent, now)).toBe(5);
    const kept = (await log.audit.list()).map((e) => e.id);
    expect(kept.slice(0, 3)).toEqual(['new-1', 'new-2', 'new-3']);
    expect((await log.audit.list())[3]).toMatchObject({ recordType: 'audit-retention', payload: { purged: 5, recordedBefore: '2019-11-28T12:00:00.000Z', retentionYears: 7 } });
    expect(await other.get('old-1')).toBeUndefined();
    expect(await other.get('new-2')).toMatchObject({ id: 'new-2', recordedAt: '2026-02-01T09:00:00.000Z' });
    await other.append(decision('new-4', '2026-11-28T12:00:00.000Z'));
    expect(await log.verify()).toEqual({
      code: 0,
      out: 'audit chain OK (embedded file): 5 records, 5 chained, 0 written before chaining; starts after 5 older records purged by retention',
      err: '',
    });
    // Nothing more is past retention: a second run changes nothing.
    expect(await purgeExpiredAudit(log.audit, 7, silent, now)).toBe(0);
  });

  it('still detects the oldest kept record being deleted, or the start line removed', async () => {
    const log = await logWithOldAndNew();
    await purgeExpiredAudit(log.audit, 7, silent, now);
    const lines = readFileSync(log.file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ start: { purged: 5 } });
    writeFileSync(log.file, `${[lines[0], ...lines.slice(2)].join('\n')}\n`);
    expect((await log.verify()).err).toMatch(/at audit\.jsonl:2: does not link to the record before it/);
    writeFileSync(log.file, `${lines.slice(1).join('\n')}\n`);
    expect((await log.verify()).err).toMatch(/at audit\.jsonl:1: does not link to the record before it/);
  });
});

describeWithRedis('audit retention on Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(testKey(), 'base64'))]));
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('purges records written before the cutoff with their ids and envelopes, and the chain still verifies', async () => {
    const audit = createRedisAuditLog({ redis, codec, keyPrefix: prefix });
    for (let i = 1; i <= 4; i += 1) await audit.append(decision(`old-${i}`, '2018-01-01T09:00:00.000Z'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 1; i <= 2; i += 1) await audit.append(decision(`new-${i}`, '2026-01-01T09:00:00.000Z'));

    expect(await audit.purgeRecordedBefore(cutoff)).toBe(4);
    expect((await audit.list()).map((e) => e.id)).toEqual(['new-1', 'new-2']);
    expect(await audit.get('old-2')).toBeUndefined();
    const keys = redisAuditKeys(prefix);
    expect(await redis.hlen(keys.data)).toBe(2);
    expect(await redis.hlen(keys.index)).toBe(2);
    await audit.append(decision('new-3', '2026-11-28T12:00:00.000Z'));
    expect(await audit.verify()).toEqual({ ok: true, records: 3, chained: 3, unchained: 0, purged: 4 });

    // Deleting the oldest kept record is still caught.
    const [first] = await redis.xrange(keys.stream, '-', '+');
    await redis.xdel(keys.stream, first[0]);
    expect(await audit.verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/does not link/) });
  });

  it('npm run audit:verify reads the log of a deployment with REDIS_KEY_PREFIX', async () => {
    const key = testKey();
    const deployment = `${prefix}deploy:`;
    // What the service writes: its client's keyPrefix, then sg:.
    const audit = createRedisAuditLog({ redis, codec: createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(key, 'base64'))])), keyPrefix: `${deployment}sg:` });
    for (const id of ['p-1', 'p-2']) await audit.append(decision(id, '2026-01-01T09:00:00.000Z'));
    // An initialised deployment (npm run redis:init): without its marker audit:verify reports a reset.
    await createRedisStoreMarkers(redis, `${deployment}sg:`).create({ by: 'redis:init' });
    const verified = await captureCli((io) => auditVerify({ REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: deployment, STATE_ENCRYPTION_KEY: key }, io));
    expect(verified).toEqual({ code: 0, out: 'audit chain OK (redis stream): 2 records, 2 chained, 0 written before chaining', err: '' });
  });
});
