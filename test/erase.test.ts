import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../flows';
import { encryptionKey, storageKeyOf } from '../integrations';
import { loadConfig, createLogger } from '../server';
import { main as erase } from '../server/cli/erase';
import { createPersistence, type Persistence } from '../server/createPersistence';
import { describeWithRedis, redisUrl } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';

const record: ConversationRecord = {
  machineId: 'referral',
  machineVersion: '1',
  snapshot: { childName: 'Test Child', dateOfBirth: '2012-05-01' },
  trail: [],
  turn: 3,
  contentVersion: 'test',
  startedAt: '2026-03-02T10:00:00.000Z',
  updatedAt: '2026-03-02T10:05:00.000Z',
};

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await erase(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Writes a conversation's state and web chat transcript through the service's own stores. */
async function seed(env: NodeJS.ProcessEnv, conversationId: string): Promise<void> {
  const persistence = await open(env);
  await persistence.store.save(conversationId, record, 0);
  await persistence.transcripts.create({ conversationId, user: { id: 'test.teacher@example.org', name: 'Test Teacher' }, createdAt: '2026-03-02T10:00:00.000Z' });
  await persistence.transcripts.append(conversationId, [{ type: 'message', text: 'Test Child, NHS 9434765919' }]);
  await persistence.close();
}

function open(env: NodeJS.ProcessEnv): Promise<Persistence> {
  const config = loadConfig(env);
  return createPersistence(config, [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY as string, 'base64'))], createLogger('silent'));
}

async function expectErased(env: NodeJS.ProcessEnv, conversationId: string) {
  const result = await run(['--conversation', conversationId], env);
  expect(result).toEqual({ code: 0, out: 'erased: conversation 1, transcript 1; audit entry written', err: '' });
  const persistence = await open(env);
  try {
    expect(await persistence.store.load(conversationId)).toEqual({ rev: 0 });
    expect(await persistence.transcripts.read(conversationId, 0)).toBeUndefined();
    const erasures = (await persistence.audit.list()).filter((e) => e.recordType === 'erasure' && e.payload.subjectKey === storageKeyOf(conversationId));
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ actor: { channelId: 'cli', userId: 'cli' }, payload: { subject: 'conversation', erased: { conversation: 1, transcript: 1 } } });
    expect(JSON.stringify(erasures[0])).not.toContain(conversationId);
  } finally {
    await persistence.close();
  }
}

describe('npm run erase on the embedded store', () => {
  it('removes the conversation state and transcript and records that erasure happened', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() };
    await seed(env, 'conv-erase-1');
    await seed(env, 'conv-keep');
    await expectErased(env, 'conv-erase-1');
    // (Only here: the shared Redis test stream holds entries under other tests' keys.)
    const persistence = await open(env);
    expect(await persistence.audit.verify()).toEqual({ ok: true, records: 1, chained: 1, unchained: 0 });
    await persistence.close();
    expect(readdirSync(join(env.DATA_DIR, 'conversations')).filter((n) => n.endsWith('.json'))).toEqual([`${storageKeyOf('conv-keep')}.json`]);
    const again = await run(['--conversation', 'conv-erase-1'], env);
    expect(again.out).toBe('erased: conversation 0, transcript 0; audit entry written');
  });

  it.each([[[]], [['--conversation']], [['--professional', 'x', 'y']], [['--conversation', '--force']], [['conv-1']]])('rejects %j with the usage and exit 2', async (args) => {
    expect(await run(args, { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() })).toEqual({ code: 2, out: '', err: 'usage: npm run erase -- --conversation <conversation id>' });
  });
});

describeWithRedis('npm run erase on Redis', () => {
  it('removes the conversation state and transcript and records that erasure happened', async () => {
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), STATE_ENCRYPTION_KEY: testKey() };
    const conversationId = `conv-erase-${randomBytes(6).toString('hex')}`;
    await seed(env, conversationId);
    await expectErased(env, conversationId);
  });
});
