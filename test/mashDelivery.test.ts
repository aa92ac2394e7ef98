import type { Redis } from 'ioredis';
import { createDeliveryWorker, createEmbeddedOutbox, createMashClient, createRedisOutbox, referralOutboxEntry, type MashAuth, type Outbox } from '../integrations';
import { referralBody } from './support/mashFixtures';
import { startMashStub, type MashFault, type MashStub } from './support/mashStub';
import { testCodec, testDataDir } from './support/outboxTesting';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { waitFor } from './support/waitFor';

const oauth = { clientId: 'bot', clientSecret: 'client-secret' };
let stub: MashStub;
beforeEach(async () => {
  stub = await startMashStub({ token: 'static-token', oauth });
});
afterEach(() => stub.close());

function authFor(kind: MashAuth['kind']): MashAuth {
  return kind === 'static' ? { kind, token: 'static-token' } : { kind, tokenUrl: stub.tokenUrl, ...oauth };
}

/**
 * Enqueues `count` referrals, lets `workers` delivery workers loose on them (backoff shortened to
 * milliseconds, Retry-After as the stub sends it), and checks the MASH stored each exactly once,
 * each referrer was told once with the reference the MASH gave, and nothing was parked.
 */
async function deliverAllExactlyOnce(outboxes: Outbox[], setUpFaults: () => void, options: { count?: number; auth?: MashAuth['kind'] } = {}) {
  const count = options.count ?? 5;
  const client = createMashClient({ baseUrl: stub.baseUrl, auth: authFor(options.auth ?? 'static'), timeoutMs: 500 });
  const told = new Map<string, string[]>();
  const parked: string[] = [];
  const workers = outboxes.map((outbox, i) =>
    createDeliveryWorker({
      outbox,
      client,
      consumer: `worker-${i}`,
      baseDelayMs: 20,
      maxDelayMs: 200,
      pollIntervalMs: 20,
      onDelivered: (item, answer) => {
        if (answer.target === 'referral') told.set(item.record.clientReference, [...(told.get(item.record.clientReference) ?? []), answer.receipt.reference]);
      },
      onParked: (item) => void parked.push(item.record.clientReference),
    }),
  );
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = referralOutboxEntry(referralBody());
    await outboxes[i % outboxes.length].enqueue(entry);
    refs.push(entry.clientReference);
  }
  setUpFaults();
  workers.forEach((w) => w.start());
  try {
    await waitFor(async () => (await outboxes[0].list('delivered')).length === count || parked.length > 0, 'every referral delivered', 25_000);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  expect(parked).toEqual([]);
  expect(stub.storedKeys().sort()).toEqual([...refs].sort());
  for (const ref of refs) {
    expect(stub.storedCount(ref)).toBe(1);
    const reference = stub.answerFor(ref)?.reference;
    expect(told.get(ref)).toEqual([reference]);
    expect(await outboxes[0].get(ref)).toMatchObject({ status: 'delivered', reference });
  }
  return { refs };
}

const times = (n: number, fault: MashFault) => Array.from({ length: n }, () => fault);

describe('every referral reaches the MASH exactly once (embedded outbox)', () => {
  let outbox: Outbox;
  beforeEach(async () => {
    outbox = await createEmbeddedOutbox({ dataDir: testDataDir(), codec: testCodec() });
  });

  it('with no faults', async () => {
    await deliverAllExactlyOnce([outbox], () => undefined);
  });

  it('through a burst of 503s with Retry-After in seconds, waiting as told', async () => {
    const started = Date.now();
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(6, { kind: 'status', status: 503, retryAfter: '1' })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('through 429s with Retry-After as an HTTP date', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(3, { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 1000).toUTCString() })));
  });

  it('through 500s and dropped connections', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(3, { kind: 'status', status: 500 }), ...times(4, { kind: 'drop' })));
  });

  it('through 500s whose body is an HTML error page (experiment 5b)', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(4, { kind: 'html', status: 500 }), { kind: 'html', status: 502 }));
    expect(stub.log.filter((l) => l.outcome === 500)).toHaveLength(4);
  });

  it('when the MASH filed a referral but answered 201 with a body that breaks the contract: retried with the same key, filed once (experiment 5c)', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(5, { kind: 'badBody' })));
    expect(stub.log.filter((l) => l.outcome === 201)).toHaveLength(5); // each filed once, with the bad answer
    expect(stub.log.filter((l) => l.outcome === 200)).toHaveLength(5);
  });

  it('when the MASH stored a referral but the answer was lost: the retry is a replay', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(5, { kind: 'lose' })));
    expect(stub.log.filter((l) => l.outcome === 200)).toHaveLength(5);
  });

  it('when the answer comes after the client gave up waiting', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.inject(...times(2, { kind: 'hang', ms: 800 })));
  });

  it('through a 10 s outage', async () => {
    const started = Date.now();
    await deliverAllExactlyOnce([outbox], () => stub.outage(10_000));
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(stub.log.filter((l) => l.outcome === 'dropped').length).toBeGreaterThan(5);
  }, 30_000);

  it('when the MASH revokes the OAuth2 token (401): one new token, then delivered', async () => {
    await deliverAllExactlyOnce([outbox], () => stub.unauthorisedOnce(), { auth: 'oauth2' });
    expect(stub.tokenRequests()).toBe(2);
  });
});

describeWithRedis('every referral reaches the MASH exactly once (Redis outbox, two instances)', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = newRedis();
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('with every kind of fault at once, shared by two workers in one consumer group', async () => {
    const codec = testCodec(Buffer.alloc(32, 9));
    const secondInstance = newRedis();
    const outboxes = [createRedisOutbox({ redis, codec, keyPrefix: prefix }), createRedisOutbox({ redis: secondInstance, codec, keyPrefix: prefix })];
    try {
      await deliverAllExactlyOnce(
        outboxes,
        () =>
          stub.inject(
            { kind: 'status', status: 503, retryAfter: '1' },
            { kind: 'lose' },
            { kind: 'drop' },
            { kind: 'status', status: 429, retryAfter: '1' },
            { kind: 'lose' },
            { kind: 'hang', ms: 800 },
            { kind: 'status', status: 502 },
            { kind: 'lose' },
          ),
        { count: 12 },
      );
    } finally {
      await secondInstance.quit();
    }
  });
});
