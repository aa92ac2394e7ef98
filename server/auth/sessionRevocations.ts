import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Signed-out sessions (pen test M2). Cookies and Direct Line tokens are stateless and signed, so sign-out
 * alone could not stop a copied one; each carries its session id (`sid`) and is refused once the id is
 * here. An id is kept only until the session would have expired anyway (its sign-in time plus the
 * maximum age), so the list stays small. Shared by every instance: Redis when the service runs on it,
 * else files under `DATA_DIR/sessions` (instances sharing that folder see each other's sign-outs).
 */
export interface SessionRevocations {
  /** Refuses the session from now until `untilMs` (epoch ms). */
  revoke(sid: string, untilMs: number): Promise<void>;
  isRevoked(sid: string): Promise<boolean>;
  /** Spends a one-time id (a stream ticket's `jti`, pen test L2): true the first time, on any instance, until `untilMs`. */
  spend(id: string, untilMs: number): Promise<boolean>;
}

/** Session ids are random base64url: anything else is not ours and never becomes a key or a path. */
const sidPattern = /^[\w-]{8,64}$/;

export function redisSessionRevocations(redis: Redis, now: () => number = Date.now, keyPrefix = 'sg:'): SessionRevocations {
  const keyOf = (sid: string) => `${keyPrefix}session-revoked:${sid}`;
  return {
    async revoke(sid, untilMs) {
      if (!sidPattern.test(sid)) return;
      await redis.set(keyOf(sid), '1', 'PX', Math.max(1000, Math.ceil(untilMs - now())));
    },
    async isRevoked(sid) {
      return sidPattern.test(sid) && (await redis.exists(keyOf(sid))) === 1;
    },
    async spend(id, untilMs) {
      if (!sidPattern.test(id)) return false;
      return (await redis.set(`${keyPrefix}spent:${id}`, '1', 'PX', Math.max(1000, Math.ceil(untilMs - now())), 'NX')) === 'OK';
    },
  };
}

export async function fileSessionRevocations(dataDir: string, now: () => number = Date.now): Promise<SessionRevocations> {
  const dir = join(dataDir, 'sessions');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const untilOf = async (path: string) => Number(await readFile(path, 'utf8').catch(() => '0'));
  let spentSinceSweep = 0;

  /** Sign-out is rare: dropping the entries past their expiry then keeps the folder small without a timer. */
  async function sweep(): Promise<void> {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if ((await untilOf(path)) <= now()) await unlink(path).catch(() => undefined);
    }
  }

  return {
    async revoke(sid, untilMs) {
      if (!sidPattern.test(sid)) return;
      await writeFile(join(dir, sid), String(untilMs), { mode: 0o600 });
      await sweep();
    },
    async isRevoked(sid) {
      return sidPattern.test(sid) && (await untilOf(join(dir, sid))) > now();
    },
    async spend(id, untilMs) {
      if (!sidPattern.test(id)) return false;
      if (++spentSinceSweep >= 100) {
        spentSinceSweep = 0;
        await sweep();
      }
      // 'wx' creates the file or fails if it exists: one winner, also between processes sharing the folder.
      return writeFile(join(dir, `spent-${id}`), String(untilMs), { mode: 0o600, flag: 'wx' }).then(
        () => true,
        () => false,
      );
    },
  };
}

/**
 * Checks a session id, failing open when the store cannot answer: a Redis outage must not sign every
 * professional out of the advice they are reading (the maximum age still applies); logged each time.
 */
export function revocationCheck(revocations: SessionRevocations | undefined, logger?: Logger) {
  return async (sid: string): Promise<boolean> => {
    if (!revocations) return false;
    try {
      return await revocations.isRevoked(sid);
    } catch (error) {
      logger?.warn({ err: error }, 'session revocation list unreadable: session accepted');
      return false;
    }
  };
}

/** In this process only: for one instance without a data folder (tests, a library user). */
export function memorySessionRevocations(now: () => number = Date.now): SessionRevocations {
  const until = new Map<string, number>();
  const live = (id: string) => (until.get(id) ?? 0) > now();
  const sweep = () => until.forEach((t, id) => t <= now() && until.delete(id));
  return {
    async revoke(sid, untilMs) {
      sweep();
      if (sidPattern.test(sid)) until.set(sid, untilMs);
    },
    isRevoked: async (sid) => live(sid),
    async spend(id, untilMs) {
      if (!sidPattern.test(id) || live(`spent:${id}`)) return false;
      if (until.size > 10_000) sweep();
      until.set(`spent:${id}`, untilMs);
      return true;
    },
  };
}
