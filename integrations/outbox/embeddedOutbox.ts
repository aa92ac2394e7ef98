import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { DomainError, isDomainError } from '../../flows';
import { withFileLock } from '../store/fileLock';
import { writeAtomically } from '../store/writeAtomically';
import {
  newRecord,
  outboxEntrySchema,
  outboxRecordSchema,
  settledRecord,
  type Outbox,
  type OutboxEntry,
  type OutboxItem,
  type OutboxRecord,
  type OutboxStatus,
  type Settlement,
  withdrawnRecord,
  replayedRecord,
  type ReplayResult,
  type QuarantineListener,
} from './outbox';
import { outboxKeyOf, type OutboxCodec } from './outboxCodec';
import { readTextIfExists } from '../store/readTextIfExists';

export interface EmbeddedOutboxOptions {
  dataDir: string;
  codec: OutboxCodec;
  /** How long a claimed entry is left to its consumer before another may take it over. */
  leaseMs?: number;
  now?: () => number;
  /** Tells whether a process on this host is alive; injectable for tests. */
  isProcessAlive?: (pid: number) => boolean;
  /** The folder under dataDir (default `outbox`); the service's follow-up jobs use their own. */
  folder?: string;
  /** Told (file name and why, no content) when an unreadable file is moved to `quarantine/`. */
  onQuarantine?: QuarantineListener;
}

const leaseSchema = z.object({ owner: z.string(), host: z.string(), pid: z.number().int(), until: z.number() });
const fileSchema = z.object({ record: outboxRecordSchema, data: z.string().optional(), lease: leaseSchema.optional() });
type OutboxFile = z.infer<typeof fileSchema>;
type Lease = z.infer<typeof leaseSchema>;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Unreadable: the file is there but is not an outbox file (torn by a disk fault, edited by hand, another version's). */
const unreadable = Symbol('unreadable');

async function readOutboxFileOrMark(path: string): Promise<OutboxFile | typeof unreadable | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return fileSchema.parse(JSON.parse(text));
  } catch {
    return unreadable;
  }
}

/**
 * The outbox as files under `DATA_DIR/outbox`: `queue/` holds pending entries (encrypted payload, a
 * lease while one is being tried), `done/` holds delivered records (payload purged) and parked ones
 * (payload kept for the person who phones it through). Every change is an atomic file replace under a
 * lock file, so it survives `kill -9`, and several processes may share the folder.
 */
export async function createEmbeddedOutbox(options: EmbeddedOutboxOptions): Promise<Outbox> {
  const root = join(options.dataDir, options.folder ?? 'outbox');
  const dirs = { queue: join(root, 'queue'), done: join(root, 'done'), locks: join(root, 'locks'), quarantine: join(root, 'quarantine') };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 60_000;
  const isAlive = options.isProcessAlive ?? processAlive;
  const host = hostname();
  const paths = (key: string) => ({ queue: join(dirs.queue, `${key}.json`), done: join(dirs.done, `${key}.json`), lock: join(dirs.locks, `${key}.lock`) });

  async function locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await withFileLock(paths(key).lock, work);
    } catch (error) {
      if (isDomainError(error) && error.code === 'SG-STORE-UNAVAILABLE') throw new DomainError('SG-OUTBOX-UNAVAILABLE', 'timed out waiting for an outbox lock', { cause: error });
      throw error;
    }
  }

  /** A lease binds until it runs out, or until its process is seen to be gone (same host: after kill -9). */
  function leaseHeld(lease: Lease | undefined, at: number): boolean {
    if (!lease || lease.until <= at) return false;
    return !(lease.host === host && lease.pid !== process.pid && !isAlive(lease.pid));
  }

  /**
   * Moves an unreadable file to `quarantine/` (under its key's lock, which the caller holds), so it
   * neither blocks the entries claimed with it nor disappears: listed by `outbox:replay --list`, counted,
   * and its name (a hash of the client reference) is what the operator looks up.
   */
  async function moveAside(path: string): Promise<void> {
    const name = `${basename(dirname(path))}-${basename(path)}`;
    const target = join(dirs.quarantine, name);
    const taken = await stat(target).then(
      () => true,
      () => false,
    );
    await rename(path, taken ? `${target}.${now()}` : target);
    options.onQuarantine?.(name, 'unreadable outbox file');
  }

  /** An outbox file, or undefined when absent; an unreadable one is moved aside (the caller holds the lock). */
  async function readOutboxFile(path: string): Promise<OutboxFile | undefined> {
    const file = await readOutboxFileOrMark(path);
    if (file !== unreadable) return file;
    await moveAside(path).catch(() => undefined);
    return undefined;
  }

  async function current(key: string): Promise<OutboxFile | undefined> {
    return (await readOutboxFile(paths(key).done)) ?? (await readOutboxFile(paths(key).queue));
  }

  async function enqueue(entry: OutboxEntry): Promise<{ enqueued: boolean; record: OutboxRecord }> {
    const parsed = outboxEntrySchema.safeParse(entry);
    if (!parsed.success) throw new DomainError('SG-OUTBOX-INVALID-ENTRY', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
    const key = outboxKeyOf(entry.clientReference);
    return locked(key, async () => {
      const existing = await current(key);
      if (existing) return { enqueued: false, record: existing.record };
      const record = newRecord(parsed.data, now());
      scannedAt = Number.NEGATIVE_INFINITY; // the next claim rescans and sees it
      await writeAtomically(paths(key).queue, JSON.stringify({ record, data: options.codec.encode(parsed.data.clientReference, parsed.data) }));
      return { enqueued: true, record };
    });
  }

  /** Files of one folder; an unreadable one is moved aside under its lock (re-read there: a writer may just have replaced it). */
  async function filesIn(dir: string): Promise<OutboxFile[]> {
    const names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
    const files = await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        const file = await readOutboxFileOrMark(path);
        if (file !== unreadable) return file;
        return locked(name.slice(0, -'.json'.length), () => readOutboxFile(path)).catch(() => undefined);
      }),
    );
    return files.filter((file): file is OutboxFile => file !== undefined);
  }

  const queuedFiles = () => filesIn(dirs.queue);

  /** Takes the lease on one entry if it is still pending, due and free; finishes a settle a crash cut short. */
  async function tryClaim(clientReference: string, consumer: string): Promise<OutboxItem | undefined> {
    const key = outboxKeyOf(clientReference);
    const { queue, done } = paths(key);
    return locked(key, async () => {
      if (await readOutboxFile(done)) {
        await unlink(queue).catch(() => undefined);
        return undefined;
      }
      const file = await readOutboxFile(queue);
      const at = now();
      if (!file || file.record.status !== 'pending' || (file.record.nextAttemptAt ?? 0) > at || leaseHeld(file.lease, at)) return undefined;
      const lease: Lease = { owner: `${consumer}:${randomBytes(4).toString('hex')}`, host, pid: process.pid, until: at + leaseMs };
      await writeAtomically(queue, JSON.stringify({ ...file, lease }));
      const entry = file.data === undefined ? undefined : options.codec.decode(clientReference, file.data);
      return { record: file.record, entry, claim: lease.owner };
    });
  }

  /**
   * Due entries found by the last scan of `queue/`, oldest first. Reading and parsing every queued file on
   * each claim made draining a backlog quadratic (the benchmark: 2,000 referrals at ~75/s); a scan now
   * serves many claims. It is only a hint: tryClaim re-checks each entry under its lock. A rescan happens
   * when the hints run out, after an enqueue here, and every `rescanMs` (other processes' entries, retries
   * coming due).
   */
  let hints: string[] = [];
  let scannedAt = Number.NEGATIVE_INFINITY;
  // At least a second, and ten times what the last scan took: a big backlog is not spent mostly re-reading itself.
  let rescanMs = 1000;

  async function scanDue(at: number): Promise<string[]> {
    return (await queuedFiles())
      .filter((file) => file.record.status === 'pending' && (file.record.nextAttemptAt ?? 0) <= at && !leaseHeld(file.lease, at))
      .sort((a, b) => (a.record.nextAttemptAt ?? 0) - (b.record.nextAttemptAt ?? 0))
      .map((file) => file.record.clientReference);
  }

  async function claimDue(consumer: string, limit: number): Promise<OutboxItem[]> {
    const at = now();
    if (hints.length === 0 || at - scannedAt >= rescanMs || at < scannedAt) {
      const started = Date.now();
      hints = await scanDue(at);
      scannedAt = at;
      rescanMs = Math.max(1000, 10 * (Date.now() - started));
    }
    const claimed: OutboxItem[] = [];
    // Each entry has its own lock, so a batch is claimed concurrently (each claim waits on an fsync).
    while (claimed.length < limit && hints.length > 0) {
      const batch = hints.splice(0, limit - claimed.length);
      const items = await Promise.all(batch.map((reference) => tryClaim(reference, consumer)));
      claimed.push(...items.filter((item): item is OutboxItem => item !== undefined));
    }
    return claimed;
  }

  async function settle(item: OutboxItem, settlement: Settlement): Promise<OutboxRecord | undefined> {
    const key = outboxKeyOf(item.record.clientReference);
    const { queue, done } = paths(key);
    return locked(key, async () => {
      const finished = await readOutboxFile(done);
      // Delivered is final; parked yields only to delivered (a slow consumer's late success is the truth).
      if (finished && (finished.record.status === 'delivered' || settlement.outcome !== 'delivered')) {
        await unlink(queue).catch(() => undefined);
        return finished.record;
      }
      const file = finished ?? (await readOutboxFile(queue));
      if (!file) return undefined;
      const record = settledRecord(file.record, settlement, now());
      if (settlement.outcome === 'retry') {
        await writeAtomically(queue, JSON.stringify({ record, data: file.data }));
        return record;
      }
      const data = settlement.outcome === 'parked' ? file.data : undefined; // delivered: purge the payload
      await writeAtomically(done, JSON.stringify({ record, data }));
      await unlink(queue).catch(() => undefined);
      return record;
    });
  }

  async function withdraw(clientReference: string): Promise<OutboxRecord | undefined> {
    const key = outboxKeyOf(clientReference);
    const { queue, done } = paths(key);
    return locked(key, async () => {
      const file = (await readOutboxFile(done)) ?? (await readOutboxFile(queue));
      if (!file || file.record.status === 'delivered') return file?.record;
      const record = withdrawnRecord(file.record, now());
      await writeAtomically(done, JSON.stringify({ record }));
      await unlink(queue).catch(() => undefined);
      return record;
    });
  }

  async function replay(clientReference: string): Promise<ReplayResult> {
    const key = outboxKeyOf(clientReference);
    const { queue, done } = paths(key);
    return locked(key, async () => {
      const file = await readOutboxFile(done);
      if (!file) return { ok: false, reason: (await readOutboxFile(queue)) ? 'not-parked' : 'not-found' } as const;
      if (file.record.status !== 'parked') return { ok: false, reason: 'not-parked' } as const;
      if (file.data === undefined) return { ok: false, reason: 'no-payload' } as const;
      const record = replayedRecord(file.record, now());
      // Queue first: a crash before the unlink leaves it parked (tryClaim drops a queue file beside a done one), never lost.
      await writeAtomically(queue, JSON.stringify({ record, data: file.data }));
      await unlink(done);
      scannedAt = Number.NEGATIVE_INFINITY;
      return { ok: true, record } as const;
    });
  }

  async function list(status?: OutboxStatus): Promise<OutboxRecord[]> {
    if (status === 'pending') return pending();
    const done = await filesIn(dirs.done);
    const doneRefs = new Set(done.flatMap((file) => (file ? [file.record.clientReference] : [])));
    const queued = (await queuedFiles()).filter((file) => !doneRefs.has(file.record.clientReference));
    return [...done, ...queued].flatMap((file) => (file && (!status || file.record.status === status) ? [file.record] : [])).sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async function pending(): Promise<OutboxRecord[]> {
    return (await queuedFiles())
      .filter((file) => file.record.status === 'pending')
      .map((file) => file.record)
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async function quarantined(): Promise<string[]> {
    const names = await readdir(dirs.quarantine);
    const stats = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(dirs.quarantine, name))).mtimeMs })));
    return stats.sort((a, b) => a.at - b.at).map((s) => s.name);
  }

  /** Delivered records delivered before `before`: a delivered file is never rewritten, so its mtime says when; only old ones are read. */
  async function purgeDelivered(before: number): Promise<number> {
    let removed = 0;
    for (const name of (await readdir(dirs.done)).filter((n) => n.endsWith('.json'))) {
      const path = join(dirs.done, name);
      const old = await stat(path).then(
        (s) => s.mtimeMs < before,
        () => false,
      );
      if (!old) continue;
      await locked(name.slice(0, -'.json'.length), async () => {
        const file = await readOutboxFile(path);
        if (file?.record.status === 'delivered' && (file.record.deliveredAt ?? 0) < before) {
          await unlink(path);
          removed += 1;
        }
      });
    }
    return removed;
  }

  return {
    kind: 'embedded',
    pending,
    quarantined,
    purgeDelivered,
    enqueue,
    get: async (clientReference) => {
      // No lock here, so nothing is moved: an unreadable file reads as absent until a locked reader moves it.
      const readable = async (path: string) => {
        const file = await readOutboxFileOrMark(path);
        return file === unreadable ? undefined : file;
      };
      const { done, queue } = paths(outboxKeyOf(clientReference));
      return ((await readable(done)) ?? (await readable(queue)))?.record;
    },
    list,
    claimDue,
    settle,
    withdraw,
    replay,
    close: async () => undefined,
  };
}
