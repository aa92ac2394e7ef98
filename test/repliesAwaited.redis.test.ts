import { expect } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Persistence } from '../server/createPersistence';
import { botClient, questionIn } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { until } from './support/referralAnswers';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { tempDataDir, testKey } from './support/serviceProcess';

/**
 * Issue 23: on Redis the flow runs first and its compare-and-set checks whether a coordinator's or the
 * MASH's question waits in the conversation. These questions are asked from another instance between two
 * turns of a conversation that the referrer's instance remembers (so it reads nothing before the turn):
 * the referrer's next words must still reach whoever asked, never the flow.
 */
describeWithRedis('a reply awaited, asked from another instance, on Redis', () => {
  let redis: Redis;
  let connector: FakeConnector;
  let prefix: string;
  let a: InProcessService;
  let b: InProcessService;
  const held: { b?: Persistence } = {};
  beforeAll(async () => {
    redis = newRedis();
    connector = await startFakeConnector();
    prefix = uniquePrefix();
    const env = { STATE_ENCRYPTION_KEY: testKey(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, REDIS_PERSISTENCE: 'attested' };
    a = await startInProcess({ ...env, DATA_DIR: tempDataDir() });
    b = await startInProcess({ ...env, DATA_DIR: tempDataDir() }, { persistence: (p) => (held.b = p) });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await connector?.close();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });

  it("takes the turn's save as the check: the referrer's instance remembers the conversation", () => {
    expect(a.services.turns.checksRepliesAtSave).toBe(true);
  });

  it("gives the referrer's answer to the coordinator who asked from the other instance", async () => {
    const referrer = botClient(() => a.url, connector, 'awaited-coordinator', { id: 'dsl-awaited-1', name: 'Test Teacher' });
    await referrer.join();
    await referrer.say('Talk to a coordinator');
    const opened = await referrer.say('skip');
    const handoffId = (opened.replies.find((r) => r.value?.type === 'safeguarding.handoff')?.value as { handoffId?: string } | undefined)?.handoffId;
    expect(handoffId).toMatch(/^SGH-/);

    const asked = await b.services.coordinatorTriage.ask(handoffId!, { id: 'aad-coordinator-test', name: 'Test Coordinator' }, 'Is she safe at home tonight?');
    expect(asked.ok).toBe(true);
    await until(() => connector.forConversation('awaited-coordinator').find((m) => /Is she safe at home tonight\?/.test(m.text ?? '')), 'the question reaching the referrer');

    const replied = await referrer.say('Yes, she is staying with her aunt this week.');
    expect(replied.replies.map((r) => r.text).join('\n')).toMatch(/your answer has gone to the CSE coordinator/);
    const handoff = await b.services.coordinatorTriage.get(handoffId!);
    expect(handoff?.messages.at(-1)).toMatchObject({ from: 'referrer', text: 'Yes, she is staying with her aunt this week.' });
    // The flow never saw the words: its stored trail does not hold them, and it asks its question again.
    expect(JSON.stringify((await held.b!.store.load('awaited-coordinator')).record?.trail)).not.toContain('staying with her aunt');
    expect(() => questionIn(replied.replies)).not.toThrow();

    // Taken once: the next message is the flow's again.
    const next = await referrer.say('Thank you');
    expect(next.replies.map((r) => r.text).join('\n')).not.toMatch(/gone to the CSE coordinator/);
  });

  it("gives the referrer's answer to a MASH question left by the other instance", async () => {
    const referrer = botClient(() => a.url, connector, 'awaited-mash', { id: 'dsl-awaited-2', name: 'Test Teacher' });
    await referrer.join();
    await referrer.say('help');
    await held.b!.referrals.askInConversation('awaited-mash', {
      clientReference: 'SG-TEST-0001',
      referralId: 'MASH-R-0001',
      eventId: 'evt-awaited-1',
      reference: 'MASH-TEST-0001',
      askedAt: new Date().toISOString(),
    });

    const replied = await referrer.say('She is at school today with her form tutor.');
    expect(replied.replies.map((r) => r.text).join('\n')).toMatch(/on its way to the MASH for referral MASH-TEST-0001/);
    expect(await held.b!.referrals.hasQuestion('awaited-mash')).toBe(false);
    expect(JSON.stringify((await held.b!.store.load('awaited-mash')).record?.trail)).not.toContain('form tutor');
  });
});
