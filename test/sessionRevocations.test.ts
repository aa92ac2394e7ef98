import { fileSessionRevocations, memorySessionRevocations, redisSessionRevocations, type SessionRevocations } from '../server/auth';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

/**
 * The store behind sign-out and single-use stream tickets (pen test M2, L2): what one instance revokes or
 * spends, another sharing the store sees; entries go when the session would have expired anyway.
 */
function revocationContract(name: string, make: () => Promise<{ a: SessionRevocations; b: SessionRevocations; advance: (ms: number) => unknown }>) {
  describe(`${name} session revocations`, () => {
    it('a session revoked on one instance is revoked on the other, until its end', async () => {
      const { a, b, advance } = await make();
      expect(await b.isRevoked('session-id-one')).toBe(false);
      await a.revoke('session-id-one', Date.now() + 60_000);
      expect(await b.isRevoked('session-id-one')).toBe(true);
      expect(await b.isRevoked('session-id-two')).toBe(false);
      await advance(61_000);
      expect(await b.isRevoked('session-id-one')).toBe(false);
    });

    it('spends a one-time id once, whichever instance tries first', async () => {
      const { a, b } = await make();
      const results = await Promise.all([a.spend('ticket-jti-1', Date.now() + 30_000), b.spend('ticket-jti-1', Date.now() + 30_000)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await a.spend('ticket-jti-2', Date.now() + 30_000)).toBe(true);
    });

    it('ignores ids that are not ours (never a path or a key)', async () => {
      const { a } = await make();
      await a.revoke('../../etc/passwd', Date.now() + 60_000);
      expect(await a.isRevoked('../../etc/passwd')).toBe(false);
      expect(await a.spend('../x', Date.now() + 60_000)).toBe(false);
    });
  });
}

revocationContract('file', async () => {
  let offset = 0;
  const now = () => Date.now() + offset;
  const dataDir = tempDataDir();
  return { a: await fileSessionRevocations(dataDir, now), b: await fileSessionRevocations(dataDir, now), advance: (ms) => (offset += ms) };
});

revocationContract('memory (one instance)', async () => {
  let offset = 0;
  const one = memorySessionRevocations(() => Date.now() + offset);
  return { a: one, b: one, advance: (ms) => (offset += ms) };
});

describeWithRedis('Redis', () => {
  const prefix = uniquePrefix();
  const redis = newRedis();
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });
  revocationContract('redis', async () => {
    // Redis expires keys on its own clock: "advancing" deletes what would have expired.
    const a = redisSessionRevocations(redis, Date.now, prefix);
    return { a, b: redisSessionRevocations(redis, Date.now, prefix), advance: () => deleteByPrefix(redis, `${prefix}session-revoked:`) };
  });
});
