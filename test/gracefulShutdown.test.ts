import type { Redis } from 'ioredis';
import { botClient, questionIn } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { professional, type Attempt } from './support/professional';
import { deleteByPrefix, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { referralAnswers } from './support/referralAnswers';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

describe('graceful shutdown', () => {
  it('finishes an in-flight turn, saves it, and exits 0 within 10 s of SIGTERM', async () => {
    const slowChannel = await startFakeConnector({ delayMs: 1500 });
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() };
    const port = await freePort();
    let service = await startService(env, port);
    const client = botClient(() => service.url, slowChannel, 'shutdown-conversation');
    try {
      const joined = await client.join();
      const inFlight = client.say('Who can I call?');
      await new Promise((r) => setTimeout(r, 300)); // the turn is now waiting on the slow channel
      const signalled = Date.now();
      const exited = service.stop('SIGTERM');
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.replies[0].text).toMatch(/01452 426565/);
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(service.output()).toMatch(/"msg":"stopped"/);

      service = await startService(env, port);
      const after = await client.say('help');
      expect(questionIn(after.replies).turnId).toBe(questionIn(joined.replies).turnId + 2);
    } finally {
      await service.stop();
      await slowChannel.close();
    }
  });

  it('refuses new requests while draining', async () => {
    const slowChannel = await startFakeConnector({ delayMs: 1500 });
    const service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
    const client = botClient(() => service.url, slowChannel, 'draining-conversation');
    try {
      const first = client.join();
      await new Promise((r) => setTimeout(r, 300));
      const exited = service.stop('SIGTERM');
      while (!service.output().includes('"msg":"shutting down"')) await new Promise((r) => setTimeout(r, 20));
      const late = await client.say('Who can I call?').then(
        (r) => r.status,
        () => 'connection refused' as const,
      );
      expect([503, 'connection refused']).toContain(late);
      expect((await first).status).toBe(200);
      expect(await exited).toBe(0);
    } finally {
      await slowChannel.close();
    }
  });
});

/**
 * Reliability experiments 9a (embedded) and 9b (Redis): SIGTERM while ten professionals are filing, the
 * MASH answering in 2.5 s and deliveries in flight. The turns the instance had taken are answered, the
 * ones sent while it drains are refused (the channel sends them again), it exits 0, and after the restart
 * every referral is at the MASH exactly once and every referrer told exactly once.
 */
const token = 'shutdown-mash-token-0123456789';
const limits = { RATE_LIMIT_IP_PER_MINUTE: '1000000', RATE_LIMIT_CONVERSATION_PER_MINUTE: '1000000', RATE_LIMIT_USER_PER_MINUTE: '1000000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([['embedded'], ['redis']])('SIGTERM under load, %s store (experiments 9a, 9b)', (store) => {
  let stub: MashStub;
  let connector: FakeConnector;
  let service: ServiceProcess | undefined;
  let redis: Redis | undefined;
  const prefix = uniquePrefix();
  beforeEach(async () => {
    stub = await startMashStub({ token });
    // Each reply takes 400 ms to reach the channel, so a turn stays in flight that long at least.
    connector = await startFakeConnector({ delayMs: 400 });
    if (store === 'redis') redis = newRedis();
  });
  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
    if (redis) {
      await deleteByPrefix(redis, prefix);
      await redis.quit();
    }
    await stub.close();
    await connector.close();
  });

  it('answers the turns in flight, refuses new ones while draining, exits 0; after the restart each referral arrives once and each referrer is told once', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...limits,
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: token,
      ...(store === 'redis' ? { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, OUTBOX_CLAIM_IDLE_MS: '2000' } : {}),
    };
    service = await startService(env, port);
    stub.inject(...Array.from({ length: 10 }, () => ({ kind: 'hang', ms: 2500 }) as const));
    const attempts: Attempt[] = [];
    const people = Array.from({ length: 10 }, (_, i) => professional(() => service!.url, connector, `sigterm-${store}-${i}`, { onAttempt: (a) => attempts.push(a) }));
    // Staggered, so that when the first referrals are on their way to the MASH the last are still being filed.
    const filing = Promise.all(
      people.map(async (person, i) => {
        await sleep(i * 700);
        await person.join();
        for (const text of [...referralAnswers, 'Submit']) await person.say(text);
      }),
    );

    // The signal goes in the same tick as the check: a delivery in flight at the MASH, and a turn sent 200 ms
    // ago (so certainly taken by the instance) still waiting for its answer.
    let signalledAt = 0;
    let exited: Promise<number | null> | undefined;
    await waitFor(
      () => {
        const now = Date.now();
        if (stub.inFlight() === 0 || !people.some((p) => now - (p.pendingSince() ?? now) >= 200)) return false;
        signalledAt = now;
        exited = service!.stop('SIGTERM');
        return true;
      },
      'a delivery and a turn in flight',
      60_000,
    );
    await waitFor(() => service!.output().includes('"msg":"shutting down"'), 'the signal taken');
    const drainingFrom = Date.now();
    expect(await exited).toBe(0);
    const exitedAt = Date.now();
    expect(exitedAt - signalledAt).toBeLessThan(10_000);
    expect(service.output()).toMatch(/"msg":"stopped"/);
    // The deliveries in flight were finished and recorded while it drained, not cut.
    const drained = service.output().slice(service.output().indexOf('"msg":"shutting down"'));
    expect(drained).toMatch(/"msg":"outbox entry delivered"/);
    expect(drained).not.toMatch(/shutdown: turns still running/);
    service = await startService(env, port);
    await filing;

    // Turns the instance had taken before the signal were answered; those sent while it drained were refused.
    const inFlight = attempts.filter((a) => a.startedAt <= signalledAt - 200 && a.endedAt >= signalledAt);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.map((a) => a.status)).toEqual(inFlight.map(() => 200));
    const whileDraining = attempts.filter((a) => a.startedAt > drainingFrom && a.endedAt < exitedAt);
    expect(whileDraining.length).toBeGreaterThan(0);
    expect(whileDraining.filter((a) => a.status === 200)).toEqual([]);

    // Every referral at the MASH exactly once, every referrer told its MASH reference exactly once.
    const delivered = (p: (typeof people)[number]) => p.received().filter((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered');
    await waitFor(() => stub.storedKeys().length >= people.length && people.every((p) => delivered(p).length > 0), 'every referral delivered and every referrer told', 60_000);
    await sleep(1500); // a second filing or a second notice would come now
    expect(stub.storedKeys()).toHaveLength(people.length);
    for (const key of stub.storedKeys()) expect({ key, stored: stub.storedCount(key) }).toEqual({ key, stored: 1 });
    const told = people.map((p) => {
      expect({ conversation: p.conversationId, notices: delivered(p).length }).toEqual({ conversation: p.conversationId, notices: 1 });
      return String(delivered(p)[0].value?.reference);
    });
    expect(told.sort()).toEqual(
      stub
        .storedKeys()
        .map((key) => String(stub.answerFor(key)?.reference))
        .sort(),
    );
    for (const p of people) expect(p.received().filter((r) => /did not catch/i.test(r.text ?? ''))).toEqual([]);
  }, 150_000);
});
