import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isAlive } from './fileLock';
import { parseJsonOrUndefined } from './parseJson';
import { flushToDisk, withFd, writeAll } from './fileCalls';

/**
 * Group commit for the embedded document store (issue 23 item 2). A save renames its new document file
 * into place without an fsync of its own and then waits here: the first waiting writer appends every queued
 * entry in one write and flushes the journal once for all of them, then each is acknowledged. So turns that
 * arrive together share one append and one flush, and a turn is acknowledged only after its flush.
 *
 * `kill -9` does not lose the page cache: the renamed files are already what every process reads. The
 * journal is what makes an acknowledged save survive a power cut or an OS crash, when a rename or a file's
 * data that was never fsynced may be lost. A checkpoint fsyncs the documents a journal covers and the
 * folder, then deletes the journal, so journals stay small; a journal left by a process that is gone is
 * replayed when a store opens the folder (replay). Checkpoints come at 4 MiB and, at the latest, a bounded
 * time after a journal's first entry: the journal holds ciphertext of documents since erased, and an erasure
 * must not stay in it for as long as a quiet service takes to write 4 MiB.
 */

const entrySchema = z.object({ k: z.string(), prev: z.string(), file: z.string() });
export type JournalEntry = z.infer<typeof entrySchema>;

/** sha-256 of a document file's text; `none` for a file that did not exist. */
export const contentHashOf = (text: string | undefined) => (text === undefined ? 'none' : createHash('sha256').update(text).digest('base64url'));

const journalName = /^(\d+)-(\d+)\.log$/;
/** Journal files this process (in this life) writes: never replayed by it, though they carry its PID. */
const ownJournals = new Set<string>();
/** Process-wide, so two stores on one folder in one process never share a journal file. */
let generation = 0;

/** Checkpoint once a journal holds this many bytes. */
const checkpointBytes = 4 * 1024 * 1024;
/** Checkpoint at the latest this long after a journal's first entry (EMBEDDED_JOURNAL_CHECKPOINT_SECONDS). */
export const defaultCheckpointAfterMs = 60_000;

async function fsyncPath(path: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return; // gone meanwhile (erased, purged): nothing to keep
  }
  try {
    await flushToDisk.fsync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Waiter {
  line: string;
  created: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One journal file: the commit queue and its flush loop. */
class Generation {
  readonly paths = new Set<string>();
  private queue: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  bytes = 0;

  constructor(
    readonly file: string,
    private readonly dir: string,
  ) {}

  commit(path: string, entry: JournalEntry, created: boolean): Promise<void> {
    this.paths.add(path);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, created, resolve, reject });
      this.flushing ??= this.flushAll().finally(() => (this.flushing = undefined));
    });
  }

  /** The leader: flushes everything queued, including what queued while the last flush ran. */
  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        const text = batch.map((w) => w.line).join('');
        // Opened per batch, not kept: a store nobody closes must not leave a descriptor open.
        await withFd(this.file, 'a', 0o600, async (fd) => {
          writeAll(fd, text);
          await flushToDisk.fdatasync(fd);
        });
        // A new document's name lives in the folder: one folder fsync makes every new name in the batch durable.
        if (batch.some((w) => w.created)) await fsyncPath(this.dir);
        this.bytes += Buffer.byteLength(text);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  }

  /** Waits for the flushes in flight, then fsyncs every document this journal covers and deletes it. */
  async retire(): Promise<void> {
    while (this.flushing) await this.flushing;
    for (const path of this.paths) await fsyncPath(path);
    await fsyncPath(this.dir);
    await unlink(this.file).catch(() => undefined);
  }
}

export interface GroupCommitJournal {
  /** Resolves once `entry` is flushed (with every other entry queued meanwhile). `path` was already renamed into place. */
  commit(path: string, entry: JournalEntry, created: boolean): Promise<void>;
  /** Makes everything committed durable in the documents themselves and removes the journal. */
  checkpoint(): Promise<void>;
}

/**
 * Where the journals of the store in `DATA_DIR/<folder>` live: beside the folders, not in them, so the
 * store's folder holds only its documents.
 */
export const journalDirOf = (dataDir: string, folder: string) => join(dataDir, '.journal', folder);

/** The journal of this process for the store whose documents are in `dir`. */
export async function createGroupCommitJournal(dir: string, journalDir: string, checkpointAfterMs = defaultCheckpointAfterMs): Promise<GroupCommitJournal> {
  await mkdir(journalDir, { recursive: true, mode: 0o700 });
  const next = () => {
    const file = join(journalDir, `${process.pid}-${++generation}.log`);
    ownJournals.add(file);
    return new Generation(file, dir);
  };
  let current = next();
  let checkpointing: Promise<void> | undefined;
  // Armed by the first entry of a journal; unref'd, so a store nobody closed does not keep its process alive.
  let timer: NodeJS.Timeout | undefined;
  const checkpointLater = () => {
    timer ??= setTimeout(() => void checkpoint().catch(() => undefined), checkpointAfterMs).unref();
  };

  function checkpoint(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    checkpointing ??= (async () => {
      const old = current;
      current = next();
      await old.retire();
      ownJournals.delete(old.file);
    })().finally(() => (checkpointing = undefined));
    return checkpointing;
  }

  return {
    async commit(path, entry, created) {
      const generationOf = current;
      await generationOf.commit(path, entry, created);
      if (generationOf !== current) return;
      // A failed checkpoint is retried after the next commit.
      if (generationOf.bytes > checkpointBytes) void checkpoint().catch(() => undefined);
      else checkpointLater();
    },
    checkpoint,
  };
}

/**
 * Replays the journals in `journalDir` whose process is gone (or is this process's PID from an earlier
 * life: a restarted container is PID 1 again), then deletes them. An entry is written again only where the
 * document file still holds exactly the version the entry replaced (its hash), or is unreadable (a power
 * cut left a renamed file without its data). A missing document is never re-created: an erasure or a purge
 * removed it, and erased data must not come back; new documents' names were made durable before their
 * turn was acknowledged. Returns how many documents were restored.
 */
export async function replayJournals(
  dir: string,
  journalDir: string,
  isReadable: (text: string) => boolean,
  restore: (key: string, write: () => Promise<boolean>) => Promise<boolean>,
  writeFile: (path: string, text: string) => Promise<void>,
): Promise<number> {
  const names = await readdir(journalDir).catch(() => [] as string[]);
  const stale = names
    .map((name) => ({ name, match: journalName.exec(name) }))
    .filter((j): j is { name: string; match: RegExpExecArray } => j.match !== null && !ownJournals.has(join(journalDir, j.name)))
    .filter((j) => Number(j.match[1]) === process.pid || !isAlive(Number(j.match[1])))
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]) || Number(a.match[2]) - Number(b.match[2]));
  let restored = 0;
  for (const { name } of stale) {
    const text = await readFile(join(journalDir, name), 'utf8').catch(() => '');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1); // a torn last line was never acknowledged
    for (const line of complete.split('\n')) {
      const parsed = entrySchema.safeParse(parseJsonOrUndefined(line));
      if (!parsed.success) continue;
      const entry = parsed.data;
      const path = join(dir, `${entry.k}.json`);
      const did = await restore(entry.k, async () => {
        const current = await readFile(path, 'utf8').catch(() => undefined);
        if (current === undefined || current === entry.file) return false;
        if (contentHashOf(current) !== entry.prev && isReadable(current)) return false;
        await writeFile(path, entry.file);
        return true;
      });
      if (did) restored += 1;
    }
    await unlink(join(journalDir, name)).catch(() => undefined);
  }
  return restored;
}
