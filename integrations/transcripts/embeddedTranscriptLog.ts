import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../store/parseJson';
import { readTextIfExists } from '../store/readTextIfExists';
import { writeAtomically } from '../store/writeAtomically';

/**
 * An embedded transcript on disk (pen test M1: every append used to read, re-encrypt and rewrite the whole
 * file, so one user's 60 posts of 255 kB cost seconds each). Version 2 is two files:
 * - `<key>.json`, the head: expiry, last sequence number, the encrypted meta and the log's line count.
 *   Small, replaced atomically on every append (readers never see half of it).
 * - `<key>.log`, one encrypted entry per line, only ever appended to (and compacted now and then).
 * An entry counts only once the head's `lastSeq` covers it: a crash between the two writes leaves a line
 * past `lastSeq`, which readers ignore and the next append writes again (the later line wins).
 * Version 1 (the whole transcript in `<key>.json`) is still read, and becomes version 2 at its next write.
 */
export const headSchema = z.object({
  v: z.literal(2),
  expiresAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
  meta: z.string(),
  lines: z.number().int().nonnegative(),
});
export type TranscriptHead = z.infer<typeof headSchema>;

const entrySchema = z.object({ seq: z.number().int().positive(), data: z.string() });
export type StoredEntry = z.infer<typeof entrySchema>;

export const v1Schema = z.object({
  v: z.literal(1),
  expiresAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
  meta: z.string(),
  entries: z.array(entrySchema),
});
export type TranscriptV1 = z.infer<typeof v1Schema>;

/** The head file, either version; undefined when absent, torn or foreign. */
export async function readHeadFile(path: string): Promise<TranscriptHead | TranscriptV1 | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  const json = parseJsonOrUndefined(text);
  const parsed = headSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const old = v1Schema.safeParse(json);
  return old.success ? old.data : undefined;
}

/**
 * The entries a head vouches for, in order: the newest `maxEntries` up to `lastSeq`, the last line of
 * a sequence number winning; torn or foreign lines are skipped.
 */
export function liveEntries(lines: string, lastSeq: number, maxEntries: number): StoredEntry[] {
  const bySeq = new Map<number, string>();
  for (const line of lines.split('\n')) {
    if (!line) continue;
    const entry = entrySchema.safeParse(parseJsonOrUndefined(line));
    if (entry.success && entry.data.seq <= lastSeq && entry.data.seq > lastSeq - maxEntries) bySeq.set(entry.data.seq, entry.data.data);
  }
  return [...bySeq].sort(([a], [b]) => a - b).map(([seq, data]) => ({ seq, data }));
}

export async function readLog(logPath: string, lastSeq: number, maxEntries: number): Promise<StoredEntry[]> {
  return liveEntries((await readTextIfExists(logPath)) ?? '', lastSeq, maxEntries);
}

const lineOf = (entry: StoredEntry) => `${JSON.stringify(entry)}\n`;

/** Appends entries as lines (after a newline if a crash left the last line torn), then fsyncs. */
export async function appendLog(logPath: string, entries: StoredEntry[]): Promise<void> {
  const size = await stat(logPath).then(
    (s) => s.size,
    () => 0,
  );
  const handle = await open(logPath, 'a+', 0o600);
  try {
    let separator = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last.toString() !== '\n') separator = '\n';
    }
    await handle.appendFile(separator + entries.map(lineOf).join(''), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the log with exactly these entries (compaction, migration, key rotation). */
export function writeLog(logPath: string, entries: StoredEntry[]): Promise<void> {
  return writeAtomically(logPath, entries.map(lineOf).join(''));
}
