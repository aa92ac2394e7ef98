import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DocumentStore, SaveResult, StoredDocument } from './conversationStore';
import type { EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import { withFileLock } from './fileLock';
import { writeAtomically } from './writeAtomically';
import { storageKeyOf } from './recordCodec';
import { readTextIfExists } from './readTextIfExists';
import { parseJsonOrUndefined } from './parseJson';
import { ttlOf, type DocumentTtl } from './conversationStore';
import { contentHashOf, createGroupCommitJournal, journalDirOf, replayJournals } from './groupCommitJournal';
import { createRememberedRevisions, type RememberedRevisionsOptions } from './rememberedRevisions';

export const fileSchema = z.object({ rev: z.number().int().positive(), expiresAt: z.number(), data: z.string() });
type StoredFile = z.infer<typeof fileSchema>;

export interface EmbeddedStoreOptions<T> {
  dataDir: string;
  codec: EncryptedJsonCodec<T>;
  /** From each save; a function when it depends on the record (a closed handoff goes sooner than an open one). */
  ttlMs: DocumentTtl<T>;
  now?: () => number;
  /** Sub-folder of dataDir for this kind of document (see documentKinds). */
  folder: string;
  /** The group-commit journal's timed checkpoint (EMBEDDED_JOURNAL_CHECKPOINT_SECONDS; 60 s when unset). */
  checkpointAfterMs?: number;
  /**
   * Remember what this process last saved or read of each document (bounded), so `loadForUpdate` answers
   * without reading, decrypting and checking the file again (issue 23). A hint only: the save, under the
   * document's lock, still reads the file and refuses unless it is exactly the remembered text.
   */
  remember?: RememberedRevisionsOptions;
}

/**
 * Documents in files under `DATA_DIR/<folder>`, one encrypted file per key. Needs no server, survives
 * `kill -9` (atomic rename), and several processes may share the folder. Saves share their flush: each
 * renames its file into place and waits for the group-commit journal (groupCommitJournal.ts), which a
 * power cut cannot undo once the save is acknowledged.
 */
export async function createEmbeddedDocumentStore<T>(options: EmbeddedStoreOptions<T>): Promise<DocumentStore<T> & { purgeExpired(): Promise<number> }> {
  const dir = join(options.dataDir, options.folder);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? Date.now;
  const pathOf = (key: string) => join(dir, `${key}.json`);

  function parseStored(text: string | undefined): StoredFile | undefined {
    if (text === undefined) return undefined;
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      return { rev: 1, expiresAt: Number.MAX_SAFE_INTEGER, data: '' }; // torn or foreign file: unreadable, overwritable
    }
  }
  const readStored = async (path: string) => parseStored(await readTextIfExists(path));

  // Before the first save: what a process that died (or a power cut) left only in its journal.
  const journalDir = journalDirOf(options.dataDir, options.folder);
  await replayJournals(
    dir,
    journalDir,
    (text) => fileSchema.safeParse(parseJsonOrUndefined(text)).success,
    (key, write) => withFileLock(`${pathOf(key)}.lock`, write),
    (path, text) => writeAtomically(path, text),
  );
  const journal = await createGroupCommitJournal(dir, journalDir, options.checkpointAfterMs);

  const remembered = options.remember ? createRememberedRevisions(options.remember) : undefined;

  async function load(conversationId: string): Promise<StoredDocument<T>> {
    const key = storageKeyOf(conversationId);
    const text = await readTextIfExists(pathOf(key));
    const stored = parseStored(text);
    if (!stored || stored.expiresAt <= now()) {
      remembered?.delete(key);
      return { rev: stored?.rev ?? 0 };
    }
    const json = options.codec.decrypt(key, stored.data);
    const record = json === undefined ? undefined : options.codec.parse(json);
    if (!record) {
      remembered?.delete(key);
      return { rev: stored.rev, unreadable: true };
    }
    remembered?.set(key, { rev: stored.rev, epoch: contentHashOf(text), json, expiresAt: stored.expiresAt });
    return { rev: stored.rev, record };
  }

  /** From memory when this process knows the document and it has not expired (the save then checks it), else from its file. */
  async function loadForUpdate(conversationId: string): Promise<StoredDocument<T>> {
    const known = remembered?.get(storageKeyOf(conversationId));
    if (!known?.json || (known.expiresAt ?? 0) <= now()) return load(conversationId);
    const record = options.codec.parse(known.json);
    return record ? { rev: known.rev, record } : load(conversationId);
  }

  async function save(conversationId: string, record: T, expectedRev: number): Promise<SaveResult> {
    const key = storageKeyOf(conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      const currentText = await readTextIfExists(path);
      const current = parseStored(currentText);
      const currentHash = contentHashOf(currentText);
      // At the revision this process remembers, the file must also be the very text it remembers: a document
      // erased and started again by another process can be back at the same revision, and saving the erased
      // conversation's next turn onto it would bring the erased state back.
      const known = remembered?.get(key);
      if ((current?.rev ?? 0) !== expectedRev || (known?.rev === expectedRev && known.epoch !== currentHash)) {
        remembered?.delete(key);
        return { ok: false, reason: 'conflict' } as const;
      }
      const json = JSON.stringify(record);
      const next: StoredFile = { rev: expectedRev + 1, expiresAt: now() + ttlOf(options.ttlMs, record), data: options.codec.encrypt(key, json) };
      const text = JSON.stringify(next);
      try {
        await writeAtomically(path, text, { sync: false });
        // Acknowledged only once flushed; the lock is held until then, so the next save of this key follows it.
        await journal.commit(path, { k: key, prev: currentHash, file: text }, currentText === undefined);
      } catch (error) {
        remembered?.delete(key); // the file may or may not hold the new text
        throw error;
      }
      remembered?.set(key, { rev: next.rev, epoch: contentHashOf(text), json, expiresAt: next.expiresAt });
      return { ok: true, rev: next.rev } as const;
    });
  }

  async function remove(conversationId: string): Promise<void> {
    remembered?.delete(storageKeyOf(conversationId));
    await unlink(pathOf(storageKeyOf(conversationId))).catch(() => undefined);
    await syncFolder(dir); // an erasure must not come back after a power cut (replay never re-creates a missing file)
  }

  async function* records(onUnreadable?: (storageKey: string) => void): AsyncIterable<T> {
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      const stored = await readStored(join(dir, name));
      if (!stored || stored.expiresAt <= now()) continue;
      const key = name.slice(0, -'.json'.length);
      const record = stored.data ? options.codec.decode(key, stored.data) : undefined;
      if (record) yield record;
      else onUnreadable?.(key);
    }
  }

  /** Deletes conversations idle for longer than the TTL; returns how many went. */
  async function purgeExpired(): Promise<number> {
    let purged = 0;
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      const stored = await readStored(join(dir, name));
      if (stored && stored.expiresAt <= now()) {
        remembered?.delete(name.slice(0, -'.json'.length));
        await unlink(join(dir, name)).catch(() => undefined);
        purged++;
      }
    }
    return purged;
  }

  return {
    kind: 'embedded',
    load,
    ...(remembered ? { loadForUpdate } : {}),
    save,
    delete: remove,
    records,
    ping: () => probeWrite(dir),
    close: () => journal.checkpoint(),
    purgeExpired,
  };
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

/**
 * Writes, fsyncs and removes a small file: readiness means "a turn can be saved here", and a full or
 * read-only disk passed the old `access(dir)` while every turn failed (reliability F10).
 */
export async function probeWrite(dir: string): Promise<void> {
  const path = join(dir, `.readiness-${process.pid}.probe`);
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile('probe\n');
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(path).catch(() => undefined);
  }
}
