import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../flows';
import { encryptionKey, storageKeyOf, withdrawnReason, type Handoff, type ReferralTracking } from '../integrations';
import { ownerKeyOf } from '../server/services';
import { loadConfig, createLogger } from '../server';
import { eraseUsage, main as erase } from '../server/cli/erase';
import { createPersistence, type Persistence } from '../server/createPersistence';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { captureCli } from './support/cliOutput';

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

const run = (args: string[], env: NodeJS.ProcessEnv) => captureCli((io) => erase(args, env, io));

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
  expect(result).toEqual({ code: 0, out: 'erased: conversation 1, transcript 1, webchat-binding 0; audit entry written', err: '' });
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
    expect(again.out).toBe('erased: conversation 0, transcript 0, webchat-binding 0; audit entry written');
  });

  it.each([
    [[]],
    [['--conversation']],
    [['--professional', 'x', 'y']],
    [['--conversation', '--force']],
    [['--professional', '--force']],
    [['--professional', 'x', '--force', '--force']],
    [['conv-1']],
  ])('rejects %j with the usage and exit 2', async (args) => {
    expect(await run(args, { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() })).toEqual({ code: 2, out: '', err: eraseUsage });
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

/**
 * Erasure by professional: one synthetic teacher on web chat with a delivered referral, a referral still
 * in the outbox, a closed handoff, a conversation and its transcript; another teacher whose data must stay.
 */
const teacher = 'test.teacher@example.org';
const otherTeacher = 'other.teacher@example.org';
const referenceOf = (userId: string, conversationId: string) => ({
  channelId: 'webchat',
  user: { id: userId, name: 'Test Teacher' },
  conversation: { id: conversationId },
  bot: { id: 'bot' },
  serviceUrl: 'https://127.0.0.1/',
});
const tracking = (clientReference: string, userId: string, conversationId: string): ReferralTracking => ({
  clientReference,
  ownerKey: ownerKeyOf('webchat', userId),
  channelId: 'webchat',
  conversation: referenceOf(userId, conversationId),
  createdAt: '2026-03-02T10:05:00.000Z',
  status: 'queued',
  events: [],
});
const referralBody = (clientReference: string) => ({ clientReference, child: { name: 'Test Child', dateOfBirth: '2012-05-01' }, referrer: { name: 'Test Teacher' } });

async function seedProfessional(env: NodeJS.ProcessEnv, suffix: string): Promise<void> {
  const persistence = await open(env);
  try {
    const conversationId = `conv-prof-${suffix}`;
    await persistence.store.save(conversationId, record, 0);
    await persistence.transcripts.create({ conversationId, user: { id: teacher, name: 'Test Teacher' }, createdAt: '2026-03-02T10:00:00.000Z' });
    await persistence.transcripts.append(conversationId, [{ type: 'message', text: 'Test Child, NHS 9434765919' }]);
    await persistence.conversationReferences.remember({ channelId: 'webchat', userId: teacher }, referenceOf(teacher, conversationId));
    // The first referral is delivered (payload purged); the second waits in the outbox.
    await persistence.referrals.register(tracking(`REF-DELIVERED-${suffix}`, teacher, conversationId));
    await persistence.outbox.enqueue({ clientReference: `REF-DELIVERED-${suffix}`, target: { kind: 'referral' }, body: referralBody(`REF-DELIVERED-${suffix}`) });
    for (const item of await persistence.outbox.claimDue('test', 10)) await persistence.outbox.settle(item, { outcome: 'delivered', reference: 'MASH-1' });
    await persistence.referrals.register(tracking(`REF-WAITING-${suffix}`, teacher, conversationId));
    await persistence.outbox.enqueue({ clientReference: `REF-WAITING-${suffix}`, target: { kind: 'referral' }, body: referralBody(`REF-WAITING-${suffix}`) });
    const handoff: Handoff = {
      handoffId: `handoff-${suffix}`,
      kind: 'talk-to-coordinator',
      referrer: { channelId: 'webchat', conversation: referenceOf(teacher, conversationId), name: 'Test Teacher' },
      summary: 'Asked to talk to a coordinator after a category 3 screening.',
      urgency: 'same-day',
      createdAt: '2026-03-02T10:06:00.000Z',
      status: 'closed',
      closedAt: '2026-03-02T11:00:00.000Z',
      messages: [{ at: '2026-03-02T10:30:00.000Z', from: 'referrer', text: 'Test Child was seen with an older man' }],
    };
    await persistence.handoffs.open(handoff);
    await persistence.referrals.register(tracking(`REF-OTHER-${suffix}`, otherTeacher, `conv-other-${suffix}`));
    await persistence.store.save(`conv-other-${suffix}`, record, 0);
  } finally {
    await persistence.close();
  }
}

async function expectProfessionalErasure(env: NodeJS.ProcessEnv, suffix: string) {
  const refused = await run(['--professional', teacher], env);
  expect(refused.code).toBe(3);
  expect(refused.err).toContain(`referral REF-WAITING-${suffix}: not yet delivered to the MASH`);
  expect(refused.err).toContain('--force');
  expect(refused.err).not.toContain(teacher);
  let persistence = await open(env);
  try {
    // Refused means untouched: the referral is still on its way and the list still shows both.
    expect((await persistence.outbox.get(`REF-WAITING-${suffix}`))?.status).toBe('pending');
    expect(await persistence.referrals.listForOwner(ownerKeyOf('webchat', teacher))).toHaveLength(2);
  } finally {
    await persistence.close();
  }

  const forced = await run(['--professional', teacher, '--force'], env);
  expect(forced).toEqual({
    code: 0,
    out: 'erased: conversation 1, transcript 1, webchat-binding 0, referral-draft 0, referral 2, withdrawn 1, handoff 1; audit entry written',
    err: '',
  });
  persistence = await open(env);
  try {
    const conversationId = `conv-prof-${suffix}`;
    expect(await persistence.referrals.listForOwner(ownerKeyOf('webchat', teacher))).toEqual([]);
    expect(await persistence.referrals.get(`REF-DELIVERED-${suffix}`)).toBeUndefined();
    expect(await persistence.outbox.get(`REF-WAITING-${suffix}`)).toMatchObject({ status: 'parked', lastError: withdrawnReason });
    expect(await persistence.outbox.claimDue('test', 10)).toEqual([]); // withdrawn: never delivered
    expect(await persistence.conversationReferences.latest({ channelId: 'webchat', userId: teacher })).toBeUndefined();
    expect(await persistence.store.load(conversationId)).toEqual({ rev: 0 });
    expect(await persistence.transcripts.read(conversationId, 0)).toBeUndefined();
    expect(await persistence.handoffs.get(`handoff-${suffix}`)).toBeUndefined();
    // The other teacher's referral and conversation are untouched.
    expect(await persistence.referrals.listForOwner(ownerKeyOf('webchat', otherTeacher))).toHaveLength(1);
    expect((await persistence.store.load(`conv-other-${suffix}`)).rev).toBe(1);
    const erasures = (await persistence.audit.list()).filter((e) => e.recordType === 'erasure' && e.payload.subjectKey === storageKeyOf(teacher));
    expect(erasures).toHaveLength(1);
    expect(erasures[0].payload).toMatchObject({ subject: 'professional', forced: true, erased: { referral: 2, withdrawn: 1, handoff: 1 } });
    expect(JSON.stringify(erasures[0])).not.toContain(teacher);
  } finally {
    await persistence.close();
  }
}

describe('npm run erase --professional on the embedded store', () => {
  it('refuses while a referral is undelivered, then with --force withdraws it and erases the rest', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() };
    await seedProfessional(env, 'e1');
    await expectProfessionalErasure(env, 'e1');
  });

  it('erases without --force when everything of theirs is delivered and closed', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() };
    const persistence = await open(env);
    await persistence.referrals.register(tracking('REF-DONE-e2', teacher, 'conv-done-e2'));
    await persistence.conversationReferences.remember({ channelId: 'webchat', userId: teacher }, referenceOf(teacher, 'conv-done-e2'));
    await persistence.close();
    expect(await run(['--professional', teacher], env)).toEqual({
      code: 0,
      out: 'erased: conversation 0, transcript 0, webchat-binding 0, referral-draft 0, referral 1, withdrawn 0, handoff 0; audit entry written',
      err: '',
    });
  });
});

describeWithRedis('npm run erase --professional on Redis', () => {
  const prefix = uniquePrefix();
  afterAll(async () => {
    const redis = newRedis();
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('refuses while a referral is undelivered, then with --force withdraws it and erases the rest', async () => {
    const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, STATE_ENCRYPTION_KEY: testKey() };
    await seedProfessional(env, 'r1');
    await expectProfessionalErasure(env, 'r1');
  });
});
