import { expect } from '@jest/globals';
import { encryptionKey, type ReferralTracking } from '../integrations';
import { createLogger, loadConfig } from '../server';
import { main as replay, replayUsage } from '../server/cli/outboxReplay';
import { main as erase } from '../server/cli/erase';
import { createPersistence, type Persistence } from '../server/createPersistence';
import { ownerKeyOf } from '../server/services';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';
import { captureCli } from './support/cliOutput';

const run = (tool: typeof replay, args: string[], env: NodeJS.ProcessEnv) => captureCli((io) => tool(args, env, io));

const open = (env: NodeJS.ProcessEnv): Promise<Persistence> =>
  createPersistence(loadConfig(env), [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY as string, 'base64'))], createLogger('silent'));

const body = (clientReference: string) => ({ clientReference, child: { name: 'Test Child', dateOfBirth: '2012-05-01' } });
const tracking = (clientReference: string): ReferralTracking => ({
  clientReference,
  ownerKey: ownerKeyOf('webchat', 'test.teacher@example.org'),
  channelId: 'webchat',
  conversation: { conversation: { id: 'conv-replay' }, user: { id: 'test.teacher@example.org' } },
  createdAt: '2026-03-02T10:05:00.000Z',
  status: 'parked',
  parkedReason: 'MASH unavailable for 24 hours',
  events: [],
});

/** Files a referral and parks it, as the delivery worker does when its retries run out. */
async function parked(env: NodeJS.ProcessEnv, clientReference: string): Promise<void> {
  const persistence = await open(env);
  try {
    await persistence.referrals.register(tracking(clientReference));
    await persistence.outbox.enqueue({ clientReference, target: { kind: 'referral' }, body: body(clientReference) });
    const [item] = await persistence.outbox.claimDue('test', 1);
    await persistence.outbox.settle(item, { outcome: 'parked', reason: 'MASH 503 after 12 attempts' });
  } finally {
    await persistence.close();
  }
}

function replayContract(name: string, makeEnv: () => NodeJS.ProcessEnv) {
  describe(`npm run outbox:replay (${name})`, () => {
    it('lists parked entries, puts one back in the queue with its payload, and audits it', async () => {
      const env = makeEnv();
      await parked(env, 'REF-REPLAY-0001');
      const listed = await run(replay, ['--list'], env);
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/^1 parked\nREF-REPLAY-0001 {2}referral {2}attempts 1 {2}parked \S+ {2}MASH 503 after 12 attempts$/);
      expect(listed.out).not.toContain('Test Child');

      expect(await run(replay, ['REF-REPLAY-0001'], env)).toEqual({
        code: 0,
        out: 'replayed: REF-REPLAY-0001 is queued again (after 1 attempts); the running service delivers it; audit entry written',
        err: '',
      });
      const persistence = await open(env);
      try {
        const [item] = await persistence.outbox.claimDue('test', 5);
        expect(item.record).toMatchObject({ clientReference: 'REF-REPLAY-0001', status: 'pending', attempts: 1 });
        expect(item.entry?.body).toEqual(body('REF-REPLAY-0001')); // the payload came back with it
        expect(await persistence.referrals.get('REF-REPLAY-0001')).toMatchObject({ status: 'queued' });
        expect((await persistence.audit.list()).filter((e) => e.recordType === 'outbox-replay')).toEqual([
          expect.objectContaining({ actor: { channelId: 'cli', userId: 'cli' }, payload: { clientReference: 'REF-REPLAY-0001', attemptsBefore: 1 } }),
        ]);
      } finally {
        await persistence.close();
      }
      // Now pending, not parked: a second replay is refused.
      expect(await run(replay, ['REF-REPLAY-0001'], env)).toMatchObject({ code: 3, err: expect.stringMatching(/not parked/) });
    });

    it('refuses a withdrawn entry (its payload was erased) and an unknown one', async () => {
      const env = makeEnv();
      await parked(env, 'REF-REPLAY-0002');
      expect((await run(erase, ['--professional', 'test.teacher@example.org', '--force'], env)).code).toBe(0);
      expect(await run(replay, ['REF-REPLAY-0002'], env)).toMatchObject({ code: 3, err: expect.stringMatching(/payload was erased/) });
      expect(await run(replay, ['REF-NOT-THERE'], env)).toMatchObject({ code: 3, err: expect.stringMatching(/no outbox entry/) });
    });
  });
}

replayContract('embedded', () => ({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() }));

describeWithRedis('on Redis', () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    const redis = newRedis();
    for (const prefix of prefixes) await deleteByPrefix(redis, prefix);
    await redis.quit();
  });
  replayContract('Redis', () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, STATE_ENCRYPTION_KEY: testKey() };
  });
});

it.each([[[]], [['--all']], [['a', 'b']]])('rejects %j with the usage and exit 2', async (args) => {
  expect(await run(replay, args, { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() })).toEqual({ code: 2, out: '', err: replayUsage });
});
