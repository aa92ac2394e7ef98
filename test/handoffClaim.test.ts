import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createEnvelopeCipher, createHandoffQueue, embeddedHandoffStores, encryptionKey, redisHandoffStores, type Handoff, type HandoffQueue } from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const day = 86_400_000;

const handoff = (id: string): Handoff => ({
  handoffId: id,
  kind: 'talk-to-coordinator',
  referrer: { channelId: 'msteams', conversation: { conversation: { id: 'referrer-conv' } } },
  summary: 'Screening category 3',
  category: 3,
  urgency: 'same-day',
  createdAt: new Date().toISOString(),
  status: 'open',
  messages: [],
});

/** Two coordinators press Claim at the same moment, ten times over: exactly one wins each time. */
async function expectOneWinner(queue: HandoffQueue) {
  for (let i = 0; i < 10; i++) {
    const id = `H-race-${i}`;
    await queue.open(handoff(id));
    const [a, b] = await Promise.all([queue.claim(id, 'Coordinator A'), queue.claim(id, 'Coordinator B')]);
    const winners = [a, b].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = [a, b].find((r) => !r.ok);
    const winner = (winners[0] as { handoff: Handoff }).handoff;
    expect(loser).toEqual({ ok: false, reason: 'taken', claimedBy: winner.claimedBy });
    expect((await queue.get(id))?.claimedBy).toBe(winner.claimedBy);
  }
}

describe('claiming a handoff (embedded store)', () => {
  it('lets exactly one of two simultaneous claims win, and tells the other who has it', async () => {
    await expectOneWinner(createHandoffQueue(await embeddedHandoffStores(tempDataDir(), cipher, day)));
  });

  it('refuses a closed or unknown handoff, and keeps a waiting question for one reply only', async () => {
    const queue = createHandoffQueue(await embeddedHandoffStores(tempDataDir(), cipher, day));
    await queue.open(handoff('H-closed'));
    await queue.update('H-closed', (h) => ({ ...h, status: 'closed' }));
    expect(await queue.claim('H-closed', 'A')).toEqual({ ok: false, reason: 'closed' });
    expect(await queue.claim('H-missing', 'A')).toEqual({ ok: false, reason: 'not-found' });
    await queue.awaitReply('referrer-conv', 'H-closed');
    expect(await queue.takeAwaiting('referrer-conv')).toEqual({ handoffId: 'H-closed' });
    expect(await queue.takeAwaiting('referrer-conv')).toBeUndefined();
  });
});

describeWithRedis('claiming a handoff (Redis)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = newRedis();
    prefix = uniquePrefix();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('lets exactly one of two simultaneous claims win across two connections (two instances)', async () => {
    const other = newRedis();
    try {
      const first = createHandoffQueue(redisHandoffStores(redis, cipher, day, prefix));
      const second = createHandoffQueue(redisHandoffStores(other, cipher, day, prefix));
      for (let i = 0; i < 10; i++) {
        const id = `H-redis-${i}`;
        await first.open(handoff(id));
        const [a, b] = await Promise.all([first.claim(id, 'Coordinator A'), second.claim(id, 'Coordinator B')]);
        expect([a, b].filter((r) => r.ok)).toHaveLength(1);
        expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false, reason: 'taken' });
      }
    } finally {
      other.disconnect();
    }
  });
});
