import { expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { storageKeyOf } from '../integrations';
import { outboxKeyOf } from '../integrations/outbox/outboxCodec';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { professional } from './support/professional';
import { referralAnswers } from './support/referralAnswers';
import { freePort, projectRoot, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

/**
 * Reliability experiment 4a as one start-up: a service with real state (a referral delivered, four queued
 * for a MASH that is down, three conversations in the middle of a screening) is killed, its DATA_DIR is
 * damaged the ways a power cut or a full disk damages files, and it is started again. It must start, say
 * what it could not read, apologise to the people whose conversations it lost, and lose no referral.
 */
const run = promisify(execFile);
const token = 'chaos-startup-mash-token-0123';
const limits = { RATE_LIMIT_IP_PER_MINUTE: '1000000', RATE_LIMIT_CONVERSATION_PER_MINUTE: '1000000', RATE_LIMIT_USER_PER_MINUTE: '1000000' };
let stub: MashStub;
let connector: FakeConnector;
let service: ServiceProcess | undefined;
beforeEach(async () => {
  stub = await startMashStub({ token });
  connector = await startFakeConnector();
});
afterEach(async () => {
  await service?.stop('SIGKILL');
  service = undefined;
  await stub.close();
  await connector.close();
});

type Person = ReturnType<typeof professional>;
const deliveredNotices = (p: Person) => p.received().filter((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered');

/** Files the whole referral; returns the client reference the bot gave when it queued it. */
async function file(person: Person): Promise<string> {
  await person.join();
  for (const text of referralAnswers) await person.say(text);
  const filed = (await person.say('Submit')).find((a) => a.value?.type === 'safeguarding.referralFiled');
  expect(filed?.value).toMatchObject({ status: 'queued' });
  return String(filed?.value?.clientReference);
}

/** Half of the file (a write cut short), nothing, or noise of the same size. */
function damage(path: string, how: 'half' | 'empty' | 'random'): void {
  const size = readFileSync(path).length;
  if (how === 'random') writeFileSync(path, randomBytes(size));
  else truncateSync(path, how === 'half' ? Math.floor(size / 2) : 0);
}

/** Runs an admin tool as an operator would (its built entry), on the same DATA_DIR and key. */
async function cli(tool: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const entry = join(projectRoot, 'dist', 'server', 'cli', `${tool}.js`);
  return run(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, out: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
}

async function metric(service: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

describe('corrupted files at start-up (experiment 4a)', () => {
  it('starts, reports each unreadable item, apologises to the lost conversations and delivers every referral it still holds exactly once', async () => {
    const dataDir = tempDataDir();
    const key = testKey();
    const port = await freePort();
    const env = { ...limits, DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key, MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: token };
    service = await startService(env, port);
    const person = (name: string) => professional(() => service!.url, connector, `startup-${name}`);

    // One referral delivered (and its referrer told) while the MASH is up.
    const delivered = person('delivered');
    const deliveredRef = await file(delivered);
    await waitFor(() => deliveredNotices(delivered).length === 1, 'the first referrer told');

    // The MASH goes down: four referrals stay queued; three conversations stop in the middle of the screening.
    stub.outage(10 * 60_000);
    const queued = ['half', 'empty', 'random', 'tracking'].map(person);
    const screening = ['half', 'empty', 'random'].map((n) => person(`screening-${n}`));
    const [halfRef, emptyRef, randomRef, trackedRef] = (await Promise.all([
      ...queued.map(file),
      ...screening.map(async (p) => {
        await p.join();
        for (const text of referralAnswers.slice(0, 9)) await p.say(text);
      }),
    ])) as string[];
    // This referrer moved on ("my referrals" is a turn too): their conversation no longer holds the referral.
    const listed = await queued[3].say('my referrals');
    expect(listed.map((r) => r.text).join(' ')).toContain(trackedRef);

    const stopped = service;
    expect(await stopped.stop('SIGKILL')).toBeNull();
    const deadPid = stopped.child.pid as number;

    // What a power cut or a full disk leaves behind.
    const conversationFile = (p: Person) => join(dataDir, 'conversations', `${storageKeyOf(p.conversationId)}.json`);
    const queueFile = (ref: string) => join(dataDir, 'outbox', 'queue', `${outboxKeyOf(ref)}.json`);
    damage(conversationFile(screening[0]), 'half');
    damage(conversationFile(screening[1]), 'empty');
    damage(conversationFile(screening[2]), 'random');
    damage(queueFile(halfRef), 'half');
    damage(queueFile(emptyRef), 'empty');
    damage(queueFile(randomRef), 'random');
    damage(join(dataDir, 'referrals', `${storageKeyOf(trackedRef)}.json`), 'random');
    const auditFile = join(dataDir, 'audit', 'audit.jsonl');
    const lastLine = readFileSync(auditFile, 'utf8').trimEnd().split('\n').at(-1)!;
    appendFileSync(auditFile, lastLine.slice(0, Math.floor(lastLine.length / 2))); // an append cut short: no newline
    const lock = `${auditFile}.lock`; // every turn and the start-up purge take it
    writeFileSync(lock, `${deadPid} ${hostname()}\n`);
    const stray = `${conversationFile(delivered)}.${deadPid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(stray, '{"rev":');
    // The killed process's group-commit journals would restore the damaged documents (what they are for,
    // test/groupCommitKill.test.ts): this experiment is about damage nothing can repair, as after a checkpoint.
    rmSync(join(dataDir, '.journal'), { recursive: true, force: true });

    const restarting = Date.now();
    service = await startService(env, port);
    expect(Date.now() - restarting).toBeLessThan(15_000);
    stub.outage(0); // the MASH is back

    // Every referral whose conversation or outbox file still holds it arrives exactly once; the first is not sent again.
    const refs = [deliveredRef, halfRef, emptyRef, randomRef, trackedRef];
    await waitFor(() => refs.every((ref) => stub.storedCount(ref) > 0), 'every referral at the MASH', 60_000);
    await waitFor(() => queued.slice(0, 3).every((p) => deliveredNotices(p).length > 0), 'their referrers told', 30_000);
    await waitFor(
      () => service!.output().includes(trackedRef) && /tracking record .*unreadable/.test(service!.output()),
      'the referral without a readable tracking record reported',
    );
    await new Promise((r) => setTimeout(r, 1500)); // a second filing or a second notice would come now
    expect(stub.storedKeys().sort()).toEqual([...refs].sort());
    for (const ref of refs) expect({ ref, stored: stub.storedCount(ref) }).toEqual({ ref, stored: 1 });
    for (const p of [delivered, ...queued.slice(0, 3)])
      expect({ conversation: p.conversationId, notices: deliveredNotices(p).length }).toEqual({ conversation: p.conversationId, notices: 1 });

    // Each unreadable outbox file is quarantined, logged by its key, counted and listed for the operator.
    const output = service.output();
    for (const ref of [halfRef, emptyRef, randomRef]) expect(output).toContain(`"key":"queue-${outboxKeyOf(ref)}.json"`);
    expect(await metric(service, 'sg_outbox_quarantined')).toBe(3);
    const list = await cli('outboxReplay', ['--list'], { DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
    expect(list).toMatchObject({ code: 0, out: expect.stringContaining('3 quarantined') });
    // The referral whose tracking record is noise was delivered, but its referrer cannot be told: logged loudly, never silently dropped.
    const untracked = output.split('\n').filter((line) => line.includes(trackedRef) && /tracking record .*unreadable/.test(line));
    expect(untracked).toEqual([expect.stringMatching(/"level":50.*"code":"SG-STORE-CORRUPT".*"reference":"MASH-/)]);
    // The unreadable conversations are reported at start-up, before anyone writes again.
    expect(output.match(/stored conversation unreadable at start-up/g)).toHaveLength(3);

    // The people whose conversations were lost get the apology and the menu, not "I did not catch that".
    for (const p of screening) {
      const replies = await p.say('no');
      expect(replies[0].text).toMatch(/^Sorry, I could not read where we had got to.*I have not used your last answer/);
      expect(replies.at(-1)?.value).toMatchObject({ type: 'safeguarding.question', id: 'menu' });
    }
    expect(await metric(service, 'sg_conversations_unreadable_total')).toBe(3);

    // The dead process's lock blocked nothing; the stray temporary file is gone.
    expect(existsSync(lock)).toBe(false);
    expect(output).not.toMatch(/timed out waiting for a conversation lock/);
    expect(
      [...delivered.received(), ...queued.flatMap((p) => p.received()), ...screening.flatMap((p) => p.received())].filter((r) =>
        /did not catch|something went wrong/i.test(r.text ?? ''),
      ),
    ).toEqual([]);
    expect(existsSync(stray)).toBe(false);
    expect(readdirSync(join(dataDir, 'conversations')).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    // The torn audit line was moved aside before the next append, so the chain verifies.
    expect(output).toMatch(/torn last line .* moved aside/);
    expect(await service.stop('SIGTERM')).toBe(0);
    service = undefined;
    const verified = await cli('auditVerify', [], { DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
    expect(verified).toMatchObject({ code: 0, out: expect.stringMatching(/^audit chain OK \(embedded file\): \d+ records.*1 torn tail\(s\) moved aside/) });
  }, 150_000);
});
