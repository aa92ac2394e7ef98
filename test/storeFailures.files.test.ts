import { expect } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { createConversationTurns } from '../server/services/takeTurn';
import { createRuntime, loadDefaultPack } from '../flows';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEmbeddedConversationStore,
  createEnvelopeCipher,
  createRecordCodec,
  encryptionKey,
  storageKeyOf,
  sweepTemporaryFiles,
  withFileLock,
  type AuditEntry,
} from '../integrations';
import { writeAtomically } from '../integrations/store/writeAtomically';
import { main as auditVerify } from '../server/cli/auditVerify';
import { z } from 'zod';
import { captureCli } from './support/cliOutput';
import { jsonAs } from './support/json';
import { projectRoot, startService, tempDataDir, testKey } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

const run = promisify(execFile);
const logger = pino({ level: 'silent' });
const temp = () => mkdtempSync(join(tmpdir(), 'sg-files-'));

/** The PID of a process that has just exited (so it is certainly not running). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((done) => child.once('exit', done));
  return child.pid as number;
}

/** Tries the lock from another node process, optionally under Debian's faketime; prints what it got. */
async function tryLockIn(lockPath: string, faketime?: string): Promise<string> {
  const script = `require(${JSON.stringify(join(projectRoot, 'dist/integrations/store/fileLock.js'))}).withFileLock(${JSON.stringify(lockPath)}, async () => 'took the lock', { waitMs: 400, staleMs: 3000 }).then((r) => console.log(r), (e) => console.log(e.code))`;
  const [command, args] = faketime ? ['faketime', ['-f', faketime, process.execPath, '-e', script]] : [process.execPath, ['-e', script]];
  const { stdout } = await run(command, args, { env: { ...process.env, FAKETIME_DONT_FAKE_MONOTONIC: '1' } });
  return stdout.trim();
}

describe('lock files name their owner and are broken by PID, not waited out (F9, experiment 8)', () => {
  it('breaks a lock left by a dead process at once', async () => {
    const lock = join(temp(), 'doc.json.lock');
    writeFileSync(lock, `${await deadPid()} ${hostname()}\n`);
    await expect(withFileLock(lock, async () => 'took the lock', { waitMs: 300, staleMs: 3000 })).resolves.toBe('took the lock');
    expect(existsSync(lock)).toBe(false);
  });

  it('never breaks the lock of a live process, even when the clock jumps a day forward (faketime)', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const lock = join(temp(), 'doc.json.lock');
      writeFileSync(lock, `${holder.pid} ${hostname()}\n`);
      expect(await tryLockIn(lock, '+1d')).toBe('SG-STORE-UNAVAILABLE');
      expect(readFileSync(lock, 'utf8')).toBe(`${holder.pid} ${hostname()}\n`);
    } finally {
      holder.kill();
    }
  });

  it("breaks a dead process's lock at once even when the clock jumped a day back (faketime)", async () => {
    const lock = join(temp(), 'doc.json.lock');
    writeFileSync(lock, `${await deadPid()} ${hostname()}\n`);
    expect(await tryLockIn(lock, '-1d')).toBe('took the lock');
  });
});

describe('atomic writes leave no temporary files (F11)', () => {
  it("removes its temporary file when the write fails, and the sweep removes old left-overs and a dead writer's at once", async () => {
    const dir = temp();
    mkdirSync(join(dir, 'taken')); // a directory where the file should go: the rename fails
    await expect(writeAtomically(join(dir, 'taken'), '{}')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);

    mkdirSync(join(dir, 'conversations'));
    const live = process.pid; // a writer that may still rename its file
    const old = join(dir, 'conversations', `abc.json.${live}.deadbeef.tmp`);
    const fresh = join(dir, 'conversations', `abc.json.${live}.cafebabe.tmp`);
    const orphan = join(dir, 'conversations', `def.json.${await deadPid()}.0badf00d.tmp`); // its writer was killed a moment ago
    writeFileSync(old, '');
    writeFileSync(fresh, '');
    writeFileSync(orphan, '{"rev":');
    utimesSync(old, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    expect(await sweepTemporaryFiles(dir)).toBe(2);
    expect(readdirSync(join(dir, 'conversations'))).toEqual([`abc.json.${live}.cafebabe.tmp`]);
  });
});

describe('a torn last audit line is moved aside before appending (F8)', () => {
  it('keeps the chain verifiable and says what it repaired', async () => {
    const dataDir = temp();
    const key = testKey();
    const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(key, 'base64'))]));
    const entry = (id: string): AuditEntry => ({
      id,
      recordType: 'test',
      recordedAt: '2026-12-04T10:00:00.000Z',
      actor: { channelId: 'test', userId: 'u1' },
      payload: { recordType: 'test' },
    });
    const before = await createEmbeddedAuditLog({ dataDir, codec });
    for (const id of ['a-1', 'a-2']) await before.append(entry(id));
    // What a power cut or a full disk during appendFile leaves: half a line, no newline.
    appendFileSync(join(dataDir, 'audit', 'audit.jsonl'), '{"id":"a-3","data":"v1.k1.abcdef');
    const torn = await captureCli((io) => auditVerify({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key }, io));
    expect(torn).toMatchObject({ code: 0, out: expect.stringMatching(/2 records.*the last line is an unfinished append/) });

    const warnings: string[] = [];
    const after = await createEmbeddedAuditLog({ dataDir, codec, logger: { warn: (_details, message) => void warnings.push(message) } });
    await after.append(entry('a-4'));
    expect(warnings).toEqual([expect.stringMatching(/torn last line .* moved aside/)]);
    expect(await after.verify()).toMatchObject({ ok: true, records: 3, repairedTails: 1 });
    expect(readFileSync(join(dataDir, 'audit', 'audit.torn.jsonl'), 'utf8')).toMatch(/"bytes":"/);
    const verified = await captureCli((io) => auditVerify({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key }, io));
    expect(verified).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^audit chain OK \(embedded file\): 3 records.*1 torn tail\(s\) moved aside/) });
  });
});

describe("an unreadable conversation restarts with the pack's apology (F12)", () => {
  it('says sorry, shows the menu and does not read the answer as a menu choice', async () => {
    const dataDir = temp();
    const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
    const store = await createEmbeddedConversationStore({ dataDir, codec, ttlMs: 3600_000 });
    let unreadable = 0;
    const turns = createConversationTurns({ store, runtime: createRuntime({ pack: loadDefaultPack() }), logger, onUnreadable: () => void (unreadable += 1) });
    const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-12-04T10:00:00Z') };
    await turns.run('c-1', { kind: 'start' }, meta);
    const asked = await turns.run('c-1', { kind: 'text', text: 'Should I share this?' }, meta);
    expect(asked.messages.at(-1)?.value?.id).not.toBe('menu');
    // The state file truncated to something that no longer decrypts.
    const file = join(dataDir, 'conversations', `${storageKeyOf('c-1')}.json`);
    const stored = jsonAs(readFileSync(file, 'utf8'), z.looseObject({ data: z.string() }), 'the stored conversation');
    writeFileSync(file, JSON.stringify({ ...stored, data: stored.data.slice(0, 40) }));

    const after = await turns.run('c-1', { kind: 'text', text: '2' }, meta);
    expect(after.messages[0].text).toMatch(/^Sorry, I could not read where we had got to.*I have not used your last answer/);
    expect(after.messages).toHaveLength(2);
    expect(after.messages[1].value).toMatchObject({ type: 'safeguarding.question', id: 'menu' });
    expect(unreadable).toBe(1);
    // From here the conversation carries on normally.
    const next = await turns.run('c-1', { kind: 'text', text: 'Should I share this?' }, meta);
    expect(next.messages.at(-1)?.value?.id).toBe(asked.messages.at(-1)?.value?.id);
  });
});

describe('embedded store health (F10) and its deployment marker', () => {
  it('/readyz fails when nothing can be written and recovers; a DATA_DIR whose marker vanishes is a reset, status still 200', async () => {
    const dataDir = tempDataDir();
    const service = await startService({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), STORE_MARKER_CHECK_MS: '300' });
    try {
      expect(existsSync(join(dataDir, 'store-marker.json'))).toBe(true);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      // The folder is still there and readable (the old check passed), but nothing can be written in it.
      const blocker = join(dataDir, 'conversations', `.readiness-${service.child.pid}.probe`);
      mkdirSync(blocker);
      const failing = await fetch(`${service.url}/readyz`);
      expect(failing.status).toBe(503);
      expect(await failing.json()).toMatchObject({ code: 'SG-STORE-UNAVAILABLE' });
      rmSync(blocker, { recursive: true });
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);

      rmSync(join(dataDir, 'store-marker.json'));
      await waitFor(async () => ((await (await fetch(`${service.url}/healthz`)).json()) as { storeReset: boolean }).storeReset, 'the reset reported');
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', storeReset: true });
    } finally {
      await service.stop();
    }
  });
});
