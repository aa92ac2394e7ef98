import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../store/fileLock';
import { readTextIfExists } from '../store/readTextIfExists';
import { writeAtomically } from '../store/writeAtomically';
import type { AuditCodec } from './auditCodec';
import { chainHash, genesisHash, verifyChain, type StoredAuditRecord } from './auditChain';
import type { AuditEntry, AuditLog } from './auditLog';

const lineSchema = z.object({ id: z.string(), data: z.string(), prev: z.string().optional(), hash: z.string().optional() });

/** Every line of the file, numbered from 1, for verification (an unparsable line is reported as such). */
function storedRecords(text: string): StoredAuditRecord[] {
  return text.split('\n').flatMap((line, index) => {
    if (!line) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const record = lineSchema.safeParse(parsed);
    const location = `audit.jsonl:${index + 1}`;
    return [record.success ? { location, ...record.data } : { location, id: '', data: '', prev: '(unreadable line)', hash: '' }];
  });
}

/**
 * The audit log as one append-only JSON-lines file under `DATA_DIR/audit`, each line encrypted. Appends
 * hold a lock file and re-read what other processes appended since, so an id is never written twice.
 */
export async function createEmbeddedAuditLog(options: { dataDir: string; codec: AuditCodec }): Promise<AuditLog> {
  const dir = join(options.dataDir, 'audit');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'audit.jsonl');
  const headFile = join(dir, 'audit.head');
  const index = new Map<string, string>(); // id -> encrypted line data
  let readBytes = 0;
  let lastHash = genesisHash;

  /** Reads lines appended since the last look (by this or another process); a torn last line waits. */
  async function catchUp(): Promise<void> {
    const handle = await open(file, 'a+');
    try {
      const { size } = await handle.stat();
      if (size <= readBytes) return;
      const buffer = Buffer.alloc(size - readBytes);
      await handle.read(buffer, 0, buffer.length, readBytes);
      const text = buffer.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      for (const line of text.slice(0, complete).split('\n')) {
        const parsed = line ? lineSchema.safeParse(JSON.parse(line)) : undefined;
        if (!parsed?.success) continue;
        index.set(parsed.data.id, parsed.data.data);
        if (parsed.data.hash) lastHash = parsed.data.hash;
      }
      readBytes += Buffer.byteLength(text.slice(0, complete));
    } finally {
      await handle.close();
    }
  }

  async function append(entry: AuditEntry): Promise<{ appended: boolean }> {
    return withFileLock(`${file}.lock`, async () => {
      await catchUp();
      if (index.has(entry.id)) return { appended: false };
      const data = options.codec.encode(entry.id, entry);
      const hash = chainHash(lastHash, entry);
      await appendFile(file, `${JSON.stringify({ id: entry.id, data, prev: lastHash, hash })}\n`, { mode: 0o600 });
      const handle = await open(file, 'r');
      await handle.sync().finally(() => handle.close());
      // The head lets verification notice the newest lines being cut off, which no link could show.
      await writeAtomically(headFile, `${hash}\n`);
      await catchUp();
      return { appended: true };
    });
  }

  async function get(id: string): Promise<AuditEntry | undefined> {
    await catchUp();
    const data = index.get(id);
    return data ? options.codec.decode(id, data) : undefined;
  }

  async function list(): Promise<AuditEntry[]> {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        const parsed = lineSchema.safeParse(JSON.parse(line));
        const entry = parsed.success ? options.codec.decode(parsed.data.id, parsed.data.data) : undefined;
        return entry ? [entry] : [];
      });
  }

  /** Line by line, so memory stays flat however long the log; a torn last line is skipped. */
  async function* entriesSince(since: Date): AsyncIterable<AuditEntry> {
    await open(file, 'a').then((handle) => handle.close());
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      let parsed: ReturnType<typeof lineSchema.safeParse> | undefined;
      try {
        parsed = line ? lineSchema.safeParse(JSON.parse(line)) : undefined;
      } catch {
        continue;
      }
      const entry = parsed?.success ? options.codec.decode(parsed.data.id, parsed.data.data) : undefined;
      if (entry && Date.parse(entry.recordedAt) >= since.getTime()) yield entry;
    }
  }


  async function verify() {
    return withFileLock(`${file}.lock`, async () => {
      const head = (await readTextIfExists(headFile))?.trim();
      return verifyChain(storedRecords((await readTextIfExists(file)) ?? ''), options.codec, head || undefined);
    });
  }

  return { kind: 'embedded', append, get, list, entriesSince, verify, close: async () => undefined };
}
