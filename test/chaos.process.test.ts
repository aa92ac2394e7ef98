import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashFault, type MashStub } from './support/mashStub';
import { professional } from './support/professional';
import { startOwnRedis, type OwnRedis } from './support/redisServer';
import { referralAnswers } from './support/referralAnswers';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

/**
 * The chaos experiments of the reliability review (docs/deploy.md, "Chaos experiments and their tests"),
 * scaled down, against the built service (`node dist/server/main.js`) with real files, a redis-server of
 * the test's own (AOF, stopped by PID) and real `kill -9`. Each filing is the whole referral journey; the
 * professional redelivers what the bot did not answer and retypes what it apologised for. Every run ends
 * with: each referral at the MASH exactly once, each referrer told its MASH reference exactly once, and no
 * answer lost or applied twice (a lost or doubled answer shifts the journey and the bot says it did not
 * catch an answer).
 */
const token = 'chaos-mash-token-0123456789';
const limits = { RATE_LIMIT_IP_PER_MINUTE: '1000000', RATE_LIMIT_CONVERSATION_PER_MINUTE: '1000000', RATE_LIMIT_USER_PER_MINUTE: '1000000' };
let stub: MashStub;
let connector: FakeConnector;
let service: ServiceProcess | undefined;
const redises: OwnRedis[] = [];
beforeEach(async () => {
  stub = await startMashStub({ token });
  connector = await startFakeConnector();
});
afterEach(async () => {
  await service?.stop('SIGKILL');
  service = undefined;
  await Promise.all(redises.splice(0).map((r) => r.stop(true)));
  await stub.close();
  await connector.close();
});

const times = (n: number, fault: MashFault) => Array.from({ length: n }, () => fault);
const deliveredNotices = (conversationId: string) =>
  connector.forConversation(conversationId).filter((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered');

/** `count` professionals file at once; `onTurn(n)` runs after the n-th answered turn of all of them. */
async function fileConcurrently(name: string, count: number, onTurn: (turns: number) => Promise<void> | void = () => undefined) {
  const people = Array.from({ length: count }, (_, i) => professional(() => service!.url, connector, `${name}-${i}`));
  let turns = 0;
  const counted = async <T>(p: Promise<T>) => {
    const result = await p;
    await onTurn(++turns);
    return result;
  };
  await Promise.all(
    people.map(async (person) => {
      await counted(person.join());
      for (const text of [...referralAnswers, 'Submit']) await counted(person.say(text));
    }),
  );
  return people;
}

/** Every referral at the MASH once, every referrer told its reference once, no answer lost or doubled. */
async function expectEachFiledOnceAndTold(people: ReturnType<typeof professional>[]) {
  await waitFor(() => stub.storedKeys().length >= people.length, `${people.length} referrals at the MASH`, 60_000);
  await waitFor(() => people.every((p) => deliveredNotices(p.conversationId).length > 0), 'every referrer told', 60_000);
  await new Promise((r) => setTimeout(r, 1500)); // a second notice or a second filing would come now
  expect(stub.storedKeys()).toHaveLength(people.length);
  for (const key of stub.storedKeys()) expect(stub.storedCount(key)).toBe(1);
  const references = stub
    .storedKeys()
    .map((key) => String(stub.answerFor(key)?.reference))
    .sort();
  const told = people.map((p) => {
    const notices = deliveredNotices(p.conversationId);
    expect({ conversation: p.conversationId, notices: notices.length }).toEqual({ conversation: p.conversationId, notices: 1 });
    return /MASH-\d{4}-\d{6}/.exec(notices[0].text ?? '')?.[0];
  });
  expect(told.sort()).toEqual(references);
  for (const p of people) expect(p.received().filter((r) => /did not catch/i.test(r.text ?? ''))).toEqual([]);
}

async function ownRedis(options: Parameters<typeof startOwnRedis>[0] = {}) {
  const redis = await startOwnRedis({ aof: true, ...options });
  redises.push(redis);
  return redis;
}

describe.each([['embedded'], ['redis']])('kill -9 mid-filing, %s store (experiments 1a, 1b)', (store) => {
  it('restarts at once: every referral arrives once, no answer lost or doubled, every referrer told the MASH reference once', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...limits,
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: token,
      // A killed instance's leased entries are taken over after OUTBOX_CLAIM_IDLE_MS (scaled down from 60 s).
      ...(store === 'redis' ? { REDIS_URL: (await ownRedis()).url, OUTBOX_CLAIM_IDLE_MS: '2000' } : {}),
    };
    service = await startService(env, port);
    const restart = async () => {
      expect(await service!.stop('SIGKILL')).toBeNull();
      service = await startService(env, port);
    };
    stub.inject(...times(4, { kind: 'hang', ms: 700 })); // the MASH answers slowly: deliveries are in flight at the kill
    const total = 4 * (referralAnswers.length + 2);
    const people = await fileConcurrently(`kill-${store}`, 4, async (turns) => {
      if (turns === Math.floor(total * 0.6)) await restart(); // other conversations have turns in flight now
    });
    // The last submits are in; kill again while the MASH is taking them.
    await waitFor(() => stub.log.length > 0 || stub.storedKeys().length > 0, 'a delivery under way');
    await restart();
    await expectEachFiledOnceAndTold(people);
    expect(people.reduce((n, p) => n + p.stats.redelivered, 0)).toBeGreaterThan(0); // the kill was met
  }, 150_000);
});

describe('Redis kill -9 mid-load, restarted on the same port with its AOF (experiment 2a)', () => {
  it('refuses turns clearly with the apology and 999 meanwhile (/readyz 503), then resumes by itself; nothing lost', async () => {
    const redis = await ownRedis();
    const env = {
      ...limits,
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: token,
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      OUTBOX_CLAIM_IDLE_MS: '2000',
    };
    service = await startService(env);
    let apologyWhileDown: string | undefined;
    let readyWhileDown: number | undefined;
    const total = 3 * (referralAnswers.length + 2);
    const people = await fileConcurrently('redis-kill', 3, async (turns) => {
      if (turns !== Math.floor(total / 2)) return;
      await redis.stop(true);
      // While it is down a turn is refused with the apology and the 999 advice, and /readyz says 503.
      const probe = professional(() => service!.url, connector, 'redis-kill-probe');
      const replies = await fetch(`${service!.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'probe-1',
          type: 'message',
          text: 'Who can I call?',
          channelId: 'emulator',
          serviceUrl: connector.url,
          from: { id: 'probe-user' },
          recipient: { id: 'bot' },
          conversation: { id: probe.conversationId },
        }),
      }).then(() => probe.received());
      apologyWhileDown = replies.map((r) => r.text).join(' ');
      readyWhileDown = (await fetch(`${service!.url}/readyz`)).status;
      await new Promise((r) => setTimeout(r, 1500)); // scaled down from 10 s
      redises.push(await startOwnRedis({ aof: true, port: redis.port, dir: redis.dir }));
    });
    expect(apologyWhileDown).toMatch(/Sorry, something went wrong.*call 999 now/);
    expect(readyWhileDown).toBe(503);
    await waitFor(async () => (await fetch(`${service!.url}/readyz`)).status === 200, 'ready again');
    await expectEachFiledOnceAndTold(people);
    expect(service.output()).not.toMatch(/SG-STORE-RESET/); // the AOF kept everything: not a reset
  }, 150_000);
});

/** A 2 MB tmpfs as DATA_DIR when this process may mount one (root, as in CI); else a folder made read-only. */
function smallDisk(): { dir: string; fill(): void; free(): void; release(): void; kind: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    // Not root: a write refused with EACCES instead of ENOSPC, the same path through the service.
    return {
      dir,
      kind: 'read-only folder',
      fill: () => readdirSync(dir).forEach((f) => chmodSync(join(dir, f), 0o500)),
      free: () => readdirSync(dir).forEach((f) => chmodSync(join(dir, f), 0o700)),
      release: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // A new filler each time: the service deleting a file (a delivered outbox job) frees pages between
  // one fill and the readiness probe, so filling again takes up what was freed.
  let fillers = 0;
  return {
    dir,
    kind: 'tmpfs',
    fill: () => {
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(dir, `filler-${fillers++}`)}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        /* dd stops with ENOSPC: the disk is full */
      }
    },
    free: () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('filler-'))
        .forEach((f) => rmSync(join(dir, f), { force: true })),
    release: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('DATA_DIR disk full during load, then freed (experiment 3a)', () => {
  it('refuses turns with the apology and /readyz 503 while full, resumes by itself, leaves no temporary files; nothing lost', async () => {
    const disk = smallDisk();
    try {
      service = await startService({ ...limits, DATA_DIR: disk.dir, STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: token });
      let readyWhileFull: number | undefined;
      const total = 3 * (referralAnswers.length + 2);
      const people = await fileConcurrently('disk-full', 3, async (turns) => {
        if (turns !== Math.floor(total / 2)) return;
        // The disk is full only until the service frees a page; fill again until the probe meets it full.
        for (let attempt = 0; attempt < 5 && readyWhileFull !== 503; attempt++) {
          disk.fill();
          readyWhileFull = (await fetch(`${service!.url}/readyz`)).status;
        }
        // Free it once the professionals have met the fault (they keep retyping meanwhile).
        setTimeout(() => disk.free(), 1500);
      });
      expect(readyWhileFull).toBe(503);
      expect(people.reduce((n, p) => n + p.stats.apologies, 0)).toBeGreaterThan(0);
      await expectEachFiledOnceAndTold(people);
      const leftovers = execFileSync('find', [disk.dir, '-name', '*.tmp'], { encoding: 'utf8' }).trim();
      expect(leftovers).toBe('');
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    } finally {
      await service?.stop('SIGKILL');
      service = undefined;
      disk.release();
    }
  }, 150_000);
});

describe('a slow MASH (experiment 5a) with MASH_TIMEOUT_MS', () => {
  it('gives up on a request after MASH_TIMEOUT_MS and retries with the same key: filed once, told once', async () => {
    service = await startService({
      ...limits,
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: token,
      MASH_TIMEOUT_MS: '1000',
    });
    stub.inject(...times(2, { kind: 'hang', ms: 2500 })); // with the 6 s default the first answer would be taken
    const people = await fileConcurrently('slow-mash', 1);
    await expectEachFiledOnceAndTold(people);
    // The stub logs an answer only when its client still listens: the timed-out attempts are in the service's log.
    expect(service.output()).toMatch(/outbox delivery failed; will retry.*no answer from the MASH in time|no answer from the MASH in time.*outbox delivery failed; will retry/);
  }, 60_000);
});
