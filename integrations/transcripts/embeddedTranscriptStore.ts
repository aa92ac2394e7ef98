import { access, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../../flows';
import { withFileLock } from '../store/fileLock';
import { storageKeyOf } from '../store/recordCodec';
import { writeAtomically } from '../store/writeAtomically';
import { entryKeyOf, type TranscriptCodec } from './transcriptCodec';
import { appendLog, readHeadFile, readLog, writeLog, type StoredEntry, type TranscriptHead, type TranscriptV1 } from './embeddedTranscriptLog';
import { defaultMaxActivities, withId, type TranscriptActivity, type TranscriptEntry, type TranscriptMeta, type TranscriptStore } from './transcriptStore';

export interface EmbeddedTranscriptStoreOptions {
  dataDir: string;
  codec: TranscriptCodec;
  /** Idle lifetime, the same as the conversation state's. */
  ttlMs: number;
  maxActivities?: number;
  now?: () => number;
}

/**
 * Transcripts under `DATA_DIR/transcripts`, one encrypted head file and one append-only log per
 * conversation (`embeddedTranscriptLog.ts`). Writers take the shared file lock (so two processes on one
 * folder hand out each watermark once); an append writes only the new lines and the small head, never
 * the transcript again. Readers (every poll) read without the lock and never see half a write.
 */
export async function createEmbeddedTranscriptStore(options: EmbeddedTranscriptStoreOptions): Promise<TranscriptStore & { purgeExpired(): Promise<number> }> {
  const dir = join(options.dataDir, 'transcripts');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? Date.now;
  const maxActivities = options.maxActivities ?? defaultMaxActivities;
  const { codec } = options;
  const pathOf = (storageKey: string) => join(dir, `${storageKey}.json`);
  const logOf = (storageKey: string) => join(dir, `${storageKey}.log`);

  /** The live head, or undefined when there is none or it expired; a torn or foreign file is also absent. */
  async function readLive(path: string): Promise<TranscriptHead | TranscriptV1 | undefined> {
    const file = await readHeadFile(path);
    return file && file.expiresAt > now() ? file : undefined;
  }

  /** The live head as version 2, moving a version 1 transcript's entries into its log first. Under the lock. */
  async function liveHead(key: string): Promise<TranscriptHead | undefined> {
    const file = await readLive(pathOf(key));
    if (!file || file.v === 2) return file;
    const entries = file.entries.slice(-maxActivities);
    await writeLog(logOf(key), entries);
    return { v: 2, expiresAt: file.expiresAt, lastSeq: file.lastSeq, meta: file.meta, lines: entries.length };
  }

  async function create(meta: TranscriptMeta): Promise<boolean> {
    const key = storageKeyOf(meta.conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      if (await readLive(path)) return false;
      await writeLog(logOf(key), []);
      const head: TranscriptHead = { v: 2, expiresAt: now() + options.ttlMs, lastSeq: 0, meta: codec.meta.encode(key, meta), lines: 0 };
      await writeAtomically(path, JSON.stringify(head));
      return true;
    });
  }

  async function meta(conversationId: string): Promise<TranscriptMeta | undefined> {
    const key = storageKeyOf(conversationId);
    const file = await readLive(pathOf(key));
    return file ? codec.meta.decode(key, file.meta) : undefined;
  }

  /** Keeps the log within twice the cap: rewritten with the newest entries once it has grown that long. */
  async function compactIfLong(key: string, head: TranscriptHead): Promise<TranscriptHead> {
    if (head.lines <= 2 * maxActivities) return head;
    const kept = await readLog(logOf(key), head.lastSeq, maxActivities);
    await writeLog(logOf(key), kept);
    return { ...head, lines: kept.length };
  }

  async function append(conversationId: string, activities: TranscriptActivity[]): Promise<TranscriptEntry[]> {
    const key = storageKeyOf(conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      const head = await liveHead(key);
      if (!head) throw new DomainError('SG-HTTP-NOT-FOUND', 'the Direct Line conversation has expired or never existed');
      const appended = activities.map((activity, i) => withId(conversationId, head.lastSeq + i + 1, activity));
      const lines: StoredEntry[] = appended.map((e) => ({ seq: e.seq, data: codec.activity.encode(entryKeyOf(key, e.seq), e.activity) }));
      await appendLog(logOf(key), lines);
      const next = await compactIfLong(key, { ...head, expiresAt: now() + options.ttlMs, lastSeq: head.lastSeq + lines.length, lines: head.lines + lines.length });
      await writeAtomically(path, JSON.stringify(next));
      return appended;
    });
  }

  /** The stored entries a head vouches for (version 1 keeps them in the head file itself). */
  async function storedEntries(key: string, file: TranscriptHead | TranscriptV1): Promise<StoredEntry[]> {
    return file.v === 1 ? file.entries : readLog(logOf(key), file.lastSeq, maxActivities);
  }

  async function read(conversationId: string, afterSeq: number): Promise<TranscriptEntry[] | undefined> {
    const key = storageKeyOf(conversationId);
    const file = await readLive(pathOf(key));
    if (!file) return undefined;
    return (await storedEntries(key, file)).flatMap(({ seq, data }) => {
      if (seq <= afterSeq) return [];
      const activity = codec.activity.decode(entryKeyOf(key, seq), data);
      return activity ? [withId(conversationId, seq, activity)] : []; // unreadable (a retired key): skipped, not fatal
    });
  }

  /** Deletes transcripts idle for longer than the TTL; returns how many went. */
  async function purgeExpired(): Promise<number> {
    let purged = 0;
    for (const name of await readdir(dir)) {
      const key = /^([0-9a-f]+)\.(json|log)$/.exec(name)?.[1];
      if (!key) continue;
      const path = pathOf(key);
      if (name.endsWith('.log') && (await readHeadFile(path))) continue; // its head decides, below
      if (await readLive(path).catch(() => 'keep')) continue;
      // Re-checked under the lock: another process may have just re-created this conversation.
      const removed = await withFileLock(`${path}.lock`, async () => {
        if (await readLive(path)) return false;
        await unlink(logOf(key)).catch(() => undefined);
        return unlink(path).then(
          () => true,
          () => false,
        );
      });
      if (removed) purged++;
    }
    return purged;
  }

  async function erase(conversationId: string): Promise<boolean> {
    const key = storageKeyOf(conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      const log = await unlink(logOf(key)).then(
        () => true,
        () => false,
      );
      return unlink(path).then(
        () => true,
        () => log,
      );
    });
  }

  return { kind: 'embedded', create, meta, append, read, erase, ping: () => access(dir), close: async () => undefined, purgeExpired };
}
