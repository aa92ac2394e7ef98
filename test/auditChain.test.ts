import { expect } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEnvelopeCipher,
  createRedisAuditLog,
  encryptionKey,
  redisAuditKeys,
  rotateRedisAudit,
  type AuditEntry,
} from '../integrations';
import { main as auditVerify } from '../server/cli/auditVerify';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { captureCli } from './support/cliOutput';

function entry(id: string, outcome = 'share-without-consent'): AuditEntry {
  return {
    id,
    recordType: 'sharing-decision',
    recordedAt: '2026-03-02T10:00:00.000Z',
    actor: { channelId: 'msteams', userId: 'user-1', userName: 'Test Teacher' },
    payload: { outcome, reason: 'would-increase-risk', recipient: 'mash' },
  };
}

/** A data folder with three decisions written by the real embedded log under a known key. */
async function embeddedLog() {
  const key = testKey();
  const dataDir = tempDataDir();
  const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(key, 'base64'))]));
  const audit = await createEmbeddedAuditLog({ dataDir, codec });
  for (const id of ['d-1', 'd-2', 'd-3']) await audit.append(entry(id));
  const file = join(dataDir, 'audit', 'audit.jsonl');
  const lines = () => readFileSync(file, 'utf8').trim().split('\n');
  const rewrite = (next: string[]) => writeFileSync(file, `${next.join('\n')}\n`);
  const verify = () => captureCli((io) => auditVerify({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key }, io));
  return { audit, codec, lines, rewrite, verify };
}

describe('embedded audit chain and npm run audit:verify', () => {
  it('reports OK with counts for an untouched log', async () => {
    const log = await embeddedLog();
    expect(await log.verify()).toEqual({ code: 0, out: 'audit chain OK (embedded file): 3 records, 3 chained, 0 written before chaining', err: '' });
  });

  it('detects a line whose recorded decision was altered, naming the file and line', async () => {
    const log = await embeddedLog();
    const lines = log.lines();
    const second = JSON.parse(lines[1]) as { id: string };
    // A forger with the key re-encrypts a different outcome but cannot fix the hash without breaking the next link.
    lines[1] = JSON.stringify({ ...JSON.parse(lines[1]), data: log.codec.encode(second.id, entry(second.id, 'do-not-share')) });
    log.rewrite(lines);
    const result = await log.verify();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/BROKEN \(embedded file\) at audit\.jsonl:2: content does not match its hash/);
  });

  it('detects a deleted line and reordered lines', async () => {
    const log = await embeddedLog();
    const lines = log.lines();
    log.rewrite([lines[0], lines[2]]);
    expect((await log.verify()).err).toMatch(/at audit\.jsonl:2: does not link to the record before it/);
    log.rewrite([lines[0], lines[2], lines[1]]);
    const reordered = await log.verify();
    expect(reordered.code).toBe(1);
    expect(reordered.err).toMatch(/at audit\.jsonl:2: does not link/);
  });

  it('detects the newest line being cut off', async () => {
    const log = await embeddedLog();
    log.rewrite(log.lines().slice(0, 2));
    const result = await log.verify();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/at end of log: the newest records are missing/);
  });

  it('continues the chain from its head when a later decision is appended', async () => {
    const log = await embeddedLog();
    await log.audit.append(entry('d-4'));
    expect((await log.verify()).out).toMatch(/4 records, 4 chained/);
  });
});

describeWithRedis('Redis audit chain', () => {
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

  async function filled(name: string) {
    const keyPrefix = `${prefix}${name}:`;
    const audit = createRedisAuditLog({ redis, codec, keyPrefix });
    await Promise.all(['d-1', 'd-2', 'd-3', 'd-4'].map((id) => audit.append(entry(id))));
    return { audit, stream: redisAuditKeys(keyPrefix).stream, data: redisAuditKeys(keyPrefix).data };
  }

  /** Streams cannot be edited in place, so a tamperer rebuilds the stream with one entry changed. */
  async function rebuild(stream: string, change: (entries: [string, string[]][]) => [string, string[]][]) {
    const entries = change(await redis.xrange(stream, '-', '+'));
    await redis.del(stream);
    for (const [, fields] of entries) await redis.xadd(stream, '*', ...fields);
  }

  it('chains concurrent appends from several writers into one valid chain', async () => {
    const { audit } = await filled('ok');
    expect(await audit.verify()).toEqual({ ok: true, records: 4, chained: 4, unchained: 0 });
  });

  it('appends with one command on the instance that appended last, and two alternating writers keep one valid chain', async () => {
    const keyPrefix = `${prefix}alternating:`;
    const [a, b] = [createRedisAuditLog({ redis, codec, keyPrefix }), createRedisAuditLog({ redis, codec, keyPrefix })];
    await a.append(entry('a-1'));
    const sent: string[] = [];
    const original = redis.sendCommand.bind(redis);
    const spy = jest.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
      sent.push(command.name);
      return original(command, stream);
    });
    try {
      await a.append(entry('a-2'));
    } finally {
      spy.mockRestore();
    }
    expect(sent).toEqual(['evalsha']);
    for (const [i, writer] of [b, a, b, a].entries()) expect(await writer.append(entry(`alt-${i}`))).toEqual({ appended: true });
    expect(await a.append(entry('alt-0'))).toEqual({ appended: false });
    expect(await b.verify()).toEqual({ ok: true, records: 6, chained: 6, unchained: 0 });
  });

  it('detects an altered entry and names its stream id', async () => {
    const { audit, stream, data } = await filled('altered');
    // A forger with the key re-encrypts a different outcome for the third record.
    const [, , third] = await redis.xrange(stream, '-', '+');
    const thirdId = third[1][third[1].indexOf('id') + 1];
    await redis.hset(data, thirdId, codec.encode(thirdId, entry(thirdId, 'do-not-share')));
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: false, records: 2, location: `${stream} ${third[0]}`, problem: expect.stringMatching(/content does not match its hash/) });
  });

  it('detects a deleted entry, reordering and a removed newest entry', async () => {
    const deleted = await filled('deleted');
    const [, second] = await redis.xrange(deleted.stream, '-', '+');
    await redis.xdel(deleted.stream, second[0]);
    expect(await deleted.audit.verify()).toMatchObject({ ok: false, records: 1, problem: expect.stringMatching(/does not link/) });

    const reordered = await filled('reordered');
    await rebuild(reordered.stream, (entries) => [entries[0], entries[2], entries[1], entries[3]]);
    expect(await reordered.audit.verify()).toMatchObject({ ok: false, records: 1 });

    const truncated = await filled('truncated');
    const all = await redis.xrange(truncated.stream, '-', '+');
    await redis.xdel(truncated.stream, all[3][0]);
    expect(await truncated.audit.verify()).toMatchObject({ ok: false, location: 'end of log' });
  });

  it('keys:rotate re-encrypts every envelope beside the stream; the chain verifies with the new key alone', async () => {
    const oldKey = encryptionKey(Buffer.from(testKey(), 'base64'));
    const newKey = encryptionKey(Buffer.from(testKey(), 'base64'));
    const keyPrefix = `${prefix}rotate:`;
    const before = createRedisAuditLog({ redis, codec: createAuditCodec(createEnvelopeCipher([oldKey])), keyPrefix });
    for (const id of ['r-1', 'r-2', 'r-3']) await before.append(entry(id));
    const both = createEnvelopeCipher([newKey, oldKey]);
    expect(await rotateRedisAudit(redis, both, keyPrefix)).toEqual({ checked: 3, reencrypted: 3, current: 0, unreadable: 0 });
    expect(await rotateRedisAudit(redis, both, keyPrefix)).toEqual({ checked: 3, reencrypted: 0, current: 3, unreadable: 0 });
    const after = createRedisAuditLog({ redis, codec: createAuditCodec(createEnvelopeCipher([newKey])), keyPrefix });
    expect((await after.list()).map((e) => e.id)).toEqual(['r-1', 'r-2', 'r-3']);
    expect(await after.verify()).toEqual({ ok: true, records: 3, chained: 3, unchained: 0 });
    const envelopes = Object.values(await redis.hgetall(redisAuditKeys(keyPrefix).data));
    expect(envelopes.every((e) => e.split('.')[1] === both.currentKeyId)).toBe(true);
  });
});
