import { createReadStream } from 'node:fs';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { appendFile, mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../store/fileLock';
import { readTextIfExists } from '../store/readTextIfExists';
import { parseJsonOrUndefined } from '../store/parseJson';
import { writeAtomically } from '../store/writeAtomically';
import { flushToDisk, withFd, writeAll } from '../store/fileCalls';
import type { AuditCodec } from './auditCodec';
import { auditStartSchema, canonical, chainHashOfText, genesisHash, verifyChain, type AuditStart, type StoredAuditRecord } from './auditChain';
import type { AuditEntry, AuditLog } from './auditLog';

const lineSchema = z.object({ id: z.string(), data: z.string(), prev: z.string().optional(), hash: z.string().optional() });
/** The first line of a log whose oldest records retention purged (see `AuditStart`). */
const startLineSchema = z.object({ start: auditStartSchema });

/** Where torn tails go (one JSON line each: when, at which offset, the bytes in base64). */
export const tornFileName = 'audit.torn.jsonl';

/** The one thing the log reports about itself (no personal data: sizes and offsets). */
export interface TornTailLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** The start line, if the file begins with one. */
function startOf(text: string): AuditStart | undefined {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')));
  const parsed = first ? startLineSchema.safeParse(parseJsonOrUndefined(first)) : undefined;
  return parsed?.success ? parsed.data.start : undefined;
}

/** Every record line of the file, numbered from 1, for verification (an unparsable line is reported as such). */
function storedRecords(text: string): StoredAuditRecord[] {
  return text.split('\n').flatMap((line, index) => {
    if (!line || (index === 0 && startLineSchema.safeParse(parseJsonOrUndefined(line)).success)) return [];
    const record = lineSchema.safeParse(parseJsonOrUndefined(line));
    const location = `audit.jsonl:${index + 1}`;
    return [record.success ? { location, ...record.data } : { location, id: '', data: '', prev: '(unreadable line)', hash: '' }];
  });
}

/** Where one record's line sits in the file: enough to read it again, without holding its data in memory. */
type LinePosition = { offset: number; length: number };

/**
 * The audit log as one append-only JSON-lines file under `DATA_DIR/audit`, each line encrypted. Appends
 * hold a lock file and re-read what other processes appended since, so an id is never written twice.
 * Only the retention purge rewrites the file (atomically, dropping its oldest lines and writing a start
 * line): a process that sees a new file (another inode) reads it again from the top.
 */
export async function createEmbeddedAuditLog(options: { dataDir: string; codec: AuditCodec; logger?: TornTailLogger }): Promise<AuditLog> {
  const dir = join(options.dataDir, 'audit');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'audit.jsonl');
  const headFile = join(dir, 'audit.head');
  const tornFile = join(dir, tornFileName);
  // Positions, not data: the log grows for years and each envelope is far bigger than its position.
  let index = new Map<string, LinePosition>();
  let readBytes = 0;
  let lastHash = genesisHash;
  let inode = -1;

  /** Reads lines appended since the last look (by this or another process); a torn last line waits. */
  async function catchUp(): Promise<void> {
    // Synchronous: a page-cache read on the turn's path (integrations/store/fileCalls.ts says why).
    const fd = openSync(file, 'a+', 0o600); // mode applies when it creates the file (pen test L8)
    try {
      const { size, ino } = fstatSync(fd);
      if (ino !== inode) {
        index = new Map();
        readBytes = 0;
        lastHash = genesisHash;
        inode = ino;
      }
      if (size <= readBytes) return;
      const buffer = Buffer.alloc(size - readBytes);
      readSync(fd, buffer, 0, buffer.length, readBytes);
      const complete = buffer.lastIndexOf(0x0a) + 1;
      let offset = readBytes;
      for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
        const length = Buffer.byteLength(line);
        const json = line ? parseJsonOrUndefined(line) : undefined;
        const parsed = lineSchema.safeParse(json);
        if (parsed.success) {
          index.set(parsed.data.id, { offset, length });
          if (parsed.data.hash) lastHash = parsed.data.hash;
        } else {
          const start = startLineSchema.safeParse(json);
          if (start.success) lastHash = start.data.start.prev;
        }
        offset += length + 1;
      }
      readBytes += complete;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Under the append lock nobody else is writing, so bytes after the last newline are what a power cut or
   * a full disk left of an append that never finished (reliability F8). Appending after them would glue
   * the next record to them and break the chain for good: they are moved to `audit.torn.jsonl` (kept for
   * a person to look at) and cut off, and the log says so.
   */
  async function repairTornTail(): Promise<void> {
    const { size } = statSync(file);
    if (size <= readBytes) return;
    const handle = await open(file, 'r');
    const torn = Buffer.alloc(size - readBytes);
    await handle.read(torn, 0, torn.length, readBytes).finally(() => handle.close());
    await appendFile(tornFile, `${JSON.stringify({ at: new Date().toISOString(), offset: readBytes, bytes: torn.toString('base64') })}\n`, { mode: 0o600 });
    await truncate(file, readBytes);
    options.logger?.warn({ bytes: torn.length, offset: readBytes, quarantine: tornFileName }, 'audit log: torn last line (an append cut short) moved aside before appending');
  }

  async function append(entry: AuditEntry): Promise<{ appended: boolean }> {
    return withFileLock(`${file}.lock`, async () => {
      await catchUp();
      await repairTornTail();
      if (index.has(entry.id)) return { appended: false };
      const text = canonical(entry); // serialised once: encrypted and hashed as the same text
      const data = options.codec.encrypt(entry.id, text);
      const hash = chainHashOfText(lastHash, text);
      await withFd(file, 'a', 0o600, async (fd) => {
        writeAll(fd, `${JSON.stringify({ id: entry.id, data, prev: lastHash, hash })}\n`);
        await flushToDisk.fsync(fd);
      });
      // The head lets verification notice the newest lines being cut off, which no link could show.
      await writeAtomically(headFile, `${hash}\n`);
      await catchUp();
      return { appended: true };
    });
  }

  async function readLine(handle: FileHandle, at: LinePosition): Promise<z.infer<typeof lineSchema> | undefined> {
    const buffer = Buffer.alloc(at.length);
    await handle.read(buffer, 0, at.length, at.offset);
    const parsed = lineSchema.safeParse(parseJsonOrUndefined(buffer.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  }

  async function get(id: string): Promise<AuditEntry | undefined> {
    // Twice at most: a purge may replace the file between finding the position and reading it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await catchUp();
      const at = index.get(id);
      if (!at) return undefined;
      const handle = await open(file, 'r');
      try {
        const line = await readLine(handle, at);
        if (line?.id === id) return options.codec.decode(id, line.data);
      } finally {
        await handle.close();
      }
      inode = -1;
    }
    return undefined;
  }

  async function list(): Promise<AuditEntry[]> {
    const text = await readFile(file, 'utf8').catch(() => '');
    return storedRecords(text).flatMap((record) => {
      const entry = record.data ? options.codec.decode(record.id, record.data) : undefined;
      return entry ? [entry] : [];
    });
  }

  /** Line by line, so memory stays flat however long the log; a torn last line is skipped. */
  async function* entriesSince(since: Date): AsyncIterable<AuditEntry> {
    await open(file, 'a', 0o600).then((handle) => handle.close());
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      const parsed = line ? lineSchema.safeParse(parseJsonOrUndefined(line)) : undefined;
      const entry = parsed?.success ? options.codec.decode(parsed.data.id, parsed.data.data) : undefined;
      if (entry && Date.parse(entry.recordedAt) >= since.getTime()) yield entry;
    }
  }

  async function verify() {
    return withFileLock(`${file}.lock`, async () => {
      const head = (await readTextIfExists(headFile))?.trim();
      const whole = (await readTextIfExists(file)) ?? '';
      // An unfinished last line is an append cut short, not a record: the next append moves it aside.
      const text = whole.slice(0, whole.lastIndexOf('\n') + 1);
      const report = verifyChain(storedRecords(text), options.codec, head || undefined, startOf(text));
      const repaired = ((await readTextIfExists(tornFile)) ?? '').split('\n').filter(Boolean).length;
      const notes = { ...(text.length < whole.length ? { tornTail: true } : {}), ...(repaired ? { repairedTails: repaired } : {}) };
      return report.ok ? { ...report, ...notes } : report;
    });
  }

  /**
   * Drops the oldest records recorded before `cutoff`, up to the first younger one (the chain stays one
   * unbroken run), and writes the start line in the same atomic file replace. A record that cannot be
   * decrypted stops the purge there: it is kept for a person to look at, never silently dropped.
   */
  async function purgeRecordedBefore(cutoff: Date): Promise<number> {
    return withFileLock(`${file}.lock`, async () => {
      const text = await readTextIfExists(file);
      if (!text) return 0;
      const lines = text.split('\n');
      const previous = startOf(text);
      let first = previous ? 1 : 0;
      let prev: string | undefined;
      for (; first < lines.length; first += 1) {
        const record = lineSchema.safeParse(parseJsonOrUndefined(lines[first]));
        const entry = record.success && record.data.hash ? options.codec.decode(record.data.id, record.data.data) : undefined;
        if (!record.success || !entry || !(Date.parse(entry.recordedAt) < cutoff.getTime())) break;
        prev = record.data.hash;
      }
      const purged = first - (previous ? 1 : 0);
      if (purged === 0 || !prev) return 0;
      const start: AuditStart = { prev, purged: (previous?.purged ?? 0) + purged, purgedBefore: cutoff.toISOString() };
      await writeAtomically(file, [JSON.stringify({ start }), ...lines.slice(first)].join('\n'));
      return purged;
    });
  }

  return { kind: 'embedded', append, get, list, entriesSince, verify, purgeRecordedBefore, close: async () => undefined };
}
