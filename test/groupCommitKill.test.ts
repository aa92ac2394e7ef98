import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedDocumentStore, createEncryptedJsonCodec, createEnvelopeCipher, encryptionKey, storageKeyOf } from '../integrations';
import { journalDirOf } from '../integrations/store/groupCommitJournal';
import { answerOf, turnRecordSchema, type TurnRecord } from './support/turnRecords';
import { testDataDir } from './support/outboxTesting';
import { projectRoot } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

const codecFor = (key: Buffer) => createEncryptedJsonCodec(createEnvelopeCipher([encryptionKey(key)]), turnRecordSchema, (k) => `test:${k}`);
const openStore = (dataDir: string, key: Buffer) => createEmbeddedDocumentStore<TurnRecord>({ dataDir, folder: 'conversations', codec: codecFor(key), ttlMs: 3_600_000 });

describe('embedded store group commit', () => {
  it('kill -9 during group commits under 16 concurrent conversations: every acknowledged turn survives, nothing is half-applied', async () => {
    const dataDir = testDataDir();
    const key = randomBytes(32);
    const child = spawn(process.execPath, ['-r', './test/support/tsRequire.js', 'test/support/groupCommitChild.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, STORE_KEY: key.toString('base64'), CONVERSATIONS: '16' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (errors += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await waitFor(() => output.split('\n').length > 300, `the child to acknowledge 300 turns (stderr: ${errors})`, 60_000);
      child.kill('SIGKILL'); // saves are queued and flushing: the child never stops between commits
      expect(await exited).toBe('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    const acknowledged = new Map<string, number>();
    for (const line of output.slice(0, output.lastIndexOf('\n')).split('\n')) {
      const [, conversation, rev] = line.split(' ');
      acknowledged.set(conversation, Math.max(acknowledged.get(conversation) ?? 0, Number(rev)));
    }
    expect(acknowledged.size).toBe(16);
    // A journal was being written when the process died: the next store on the folder replays and removes it.
    expect(readdirSync(journalDirOf(dataDir, 'conversations')).length).toBeGreaterThan(0);

    const store = await openStore(dataDir, key);
    expect(readdirSync(journalDirOf(dataDir, 'conversations'))).toEqual([]);
    for (const [conversation, rev] of acknowledged) {
      const loaded = await store.load(conversation);
      // At least what was acknowledged; at most one turn more (saved, killed before its acknowledgement).
      expect(loaded.rev === rev || loaded.rev === rev + 1).toBe(true);
      // Whole, never torn: the stored turn is exactly the record of that revision.
      expect(loaded.record).toEqual({ conversation, turn: loaded.rev, answer: answerOf(conversation, loaded.rev) });
      // And the next turn carries on from it.
      expect(await store.save(conversation, { conversation, turn: loaded.rev + 1, answer: 'next' }, loaded.rev)).toEqual({ ok: true, rev: loaded.rev + 1 });
    }
  }, 90_000);

  it('after a power cut, replay restores acknowledged saves whose files were lost, and never brings back an erased document', async () => {
    const dataDir = testDataDir();
    const key = randomBytes(32);
    const store = await openStore(dataDir, key);
    const save = (conversation: string, turn: number) => store.save(conversation, { conversation, turn, answer: answerOf(conversation, turn) }, turn - 1);
    const fileOf = (conversation: string) => join(dataDir, 'conversations', `${storageKeyOf(conversation)}.json`);
    await save('lost-rename', 1);
    const firstVersion = readFileSync(fileOf('lost-rename'), 'utf8');
    await save('lost-rename', 2);
    await save('lost-rename', 3);
    await save('lost-data', 1);
    await save('erased', 1);
    await save('erased', 2);

    // What a power cut can leave when renames and data were never fsynced, as if this process were gone:
    // its journal under a dead process's name, one file back at an older version, one renamed but empty.
    const journalDir = journalDirOf(dataDir, 'conversations');
    const [journal] = readdirSync(journalDir);
    const deadPid = 2 ** 22 + 17; // above Linux's pid_max: no such process
    copyFileSync(join(journalDir, journal), join(journalDir, `${deadPid}-1.log`));
    writeFileSync(fileOf('lost-rename'), firstVersion);
    writeFileSync(fileOf('lost-data'), '');
    await store.delete('erased'); // an erasure after the saves
    // A torn last line: an append the power cut interrupted, never acknowledged.
    writeFileSync(join(journalDir, `${deadPid}-1.log`), `${readFileSync(join(journalDir, `${deadPid}-1.log`), 'utf8')}{"k":"${storageKeyOf('lost-rename')}","prev":`);

    const reopened = await openStore(dataDir, key);
    expect(existsSync(join(journalDir, `${deadPid}-1.log`))).toBe(false);
    expect(await reopened.load('lost-rename')).toEqual({ rev: 3, record: { conversation: 'lost-rename', turn: 3, answer: answerOf('lost-rename', 3) } });
    expect(await reopened.load('lost-data')).toEqual({ rev: 1, record: { conversation: 'lost-data', turn: 1, answer: answerOf('lost-data', 1) } });
    expect(existsSync(fileOf('erased'))).toBe(false);
    expect(await reopened.load('erased')).toEqual({ rev: 0 });
    await store.close();
    expect(readdirSync(journalDir)).toEqual([]); // a store that closes leaves its documents durable and no journal
  });
});
