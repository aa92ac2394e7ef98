import { access, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../flows';
import { withFileLock } from '../store/fileLock';
import { storageKeyOf } from '../store/recordCodec';
import { writeAtomically } from '../store/writeAtomically';
import { entryKeyOf, type TranscriptCodec } from './transcriptCodec';
import { readTextIfExists } from '../store/readTextIfExists';
import { parseJsonOrUndefined } from '../store/parseJson';
import {
  defaultMaxActivities,
  withId,
  type TranscriptActivity,
  type TranscriptEntry,
  type TranscriptMeta,
  type TranscriptStore,
} from './transcriptStore';

const fileSchema = z.object({
  v: z.literal(1),
  expiresAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
  meta: z.string(),
  entries: z.array(z.object({ seq: z.number().int().positive(), data: z.string() })),
});
type TranscriptFile = z.infer<typeof fileSchema>;

export interface EmbeddedTranscriptStoreOptions {
  dataDir: string;
  codec: TranscriptCodec;
  /** Idle lifetime, the same as the conversation state's. */
  ttlMs: number;
  maxActivities?: number;
  now?: () => number;
}

/**
 * Transcripts as one encrypted JSON file per conversation under `DATA_DIR/transcripts`. Writers take the
 * shared file lock (so two processes on one folder hand out each watermark once) and replace the file
 * atomically, so readers (every poll) read without the lock and never see half a write.
 */
export async function createEmbeddedTranscriptStore(
  options: EmbeddedTranscriptStoreOptions,
): Promise<TranscriptStore & { purgeExpired(): Promise<number> }> {
  const dir = join(options.dataDir, 'transcripts');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? Date.now;
  const maxActivities = options.maxActivities ?? defaultMaxActivities;
  const { codec } = options;
  const pathOf = (storageKey: string) => join(dir, `${storageKey}.json`);

  /** The live file, or undefined when there is none or it expired; a torn or foreign file is also absent. */
  async function readLive(path: string): Promise<TranscriptFile | undefined> {
    const text = await readTextIfExists(path);
    if (text === undefined) return undefined;
    const parsed = fileSchema.safeParse(parseJsonOrUndefined(text));
    return parsed.success && parsed.data.expiresAt > now() ? parsed.data : undefined;
  }

  async function create(meta: TranscriptMeta): Promise<boolean> {
    const key = storageKeyOf(meta.conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      if (await readLive(path)) return false;
      const file: TranscriptFile = { v: 1, expiresAt: now() + options.ttlMs, lastSeq: 0, meta: codec.meta.encode(key, meta), entries: [] };
      await writeAtomically(path, JSON.stringify(file));
      return true;
    });
  }

  async function meta(conversationId: string): Promise<TranscriptMeta | undefined> {
    const key = storageKeyOf(conversationId);
    const file = await readLive(pathOf(key));
    return file ? codec.meta.decode(key, file.meta) : undefined;
  }

  async function append(conversationId: string, activities: TranscriptActivity[]): Promise<TranscriptEntry[]> {
    const key = storageKeyOf(conversationId);
    const path = pathOf(key);
    return withFileLock(`${path}.lock`, async () => {
      const file = await readLive(path);
      if (!file) throw new DomainError('SG-HTTP-NOT-FOUND', 'the Direct Line conversation has expired or never existed');
      const appended = activities.map((activity, i) => withId(conversationId, file.lastSeq + i + 1, activity));
      const entries = [...file.entries, ...appended.map((e) => ({ seq: e.seq, data: codec.activity.encode(entryKeyOf(key, e.seq), e.activity) }))];
      const next: TranscriptFile = {
        ...file,
        expiresAt: now() + options.ttlMs,
        lastSeq: file.lastSeq + activities.length,
        entries: entries.slice(-maxActivities),
      };
      await writeAtomically(path, JSON.stringify(next));
      return appended;
    });
  }

  async function read(conversationId: string, afterSeq: number): Promise<TranscriptEntry[] | undefined> {
    const key = storageKeyOf(conversationId);
    const file = await readLive(pathOf(key));
    if (!file) return undefined;
    return file.entries.flatMap(({ seq, data }) => {
      if (seq <= afterSeq) return [];
      const activity = codec.activity.decode(entryKeyOf(key, seq), data);
      return activity ? [withId(conversationId, seq, activity)] : []; // unreadable (a retired key): skipped, not fatal
    });
  }

  /** Deletes transcripts idle for longer than the TTL; returns how many went. */
  async function purgeExpired(): Promise<number> {
    let purged = 0;
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      const path = join(dir, name);
      if (await readLive(path).catch(() => 'keep')) continue;
      // Re-checked under the lock: another process may have just re-created this conversation.
      const removed = await withFileLock(`${path}.lock`, async () => {
        if (await readLive(path)) return false;
        return unlink(path).then(() => true, () => false);
      });
      if (removed) purged++;
    }
    return purged;
  }

  async function erase(conversationId: string): Promise<boolean> {
    const path = pathOf(storageKeyOf(conversationId));
    return withFileLock(`${path}.lock`, () => unlink(path).then(() => true, () => false));
  }

  return { kind: 'embedded', create, meta, append, read, erase, ping: () => access(dir), close: async () => undefined, purgeExpired };
}

