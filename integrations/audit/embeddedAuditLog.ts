import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../store/fileLock';
import type { AuditCodec } from './auditCodec';
import type { AuditEntry, AuditLog } from './auditLog';

const lineSchema = z.object({ id: z.string(), data: z.string() });

/**
 * The audit log as one append-only JSON-lines file under `DATA_DIR/audit`, each line encrypted. Appends
 * hold a lock file and re-read what other processes appended since, so an id is never written twice.
 */
export async function createEmbeddedAuditLog(options: { dataDir: string; codec: AuditCodec }): Promise<AuditLog> {
  const dir = join(options.dataDir, 'audit');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'audit.jsonl');
  const index = new Map<string, string>(); // id -> encrypted line data
  let readBytes = 0;

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
        if (parsed?.success) index.set(parsed.data.id, parsed.data.data);
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
      await appendFile(file, `${JSON.stringify({ id: entry.id, data })}\n`, { mode: 0o600 });
      const handle = await open(file, 'r');
      await handle.sync().finally(() => handle.close());
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

  return { kind: 'embedded', append, get, list, entriesSince, close: async () => undefined };
}
