import { open, stat, unlink } from 'node:fs/promises';
import { DomainError } from '../../flows';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Callers in this process waiting for each lock path, in order (see withFileLock). */
const queues = new Map<string, Promise<void>>();

/**
 * Waits, until `deadline`, for this process's earlier callers of the same lock; returns the call that lets
 * the next one go. Without it every waiter polled the lock file, and under load (the benchmark: 32
 * conversations sharing the audit lock) newcomers overtook waiters in back-off, giving p99 turns of seconds.
 */
async function inProcessTurn(lockPath: string, deadline: number): Promise<() => void> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  let release = () => undefined as void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  queues.set(lockPath, tail);
  const leave = () => {
    release();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    previous.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    leave();
    throw new DomainError('SG-STORE-UNAVAILABLE', 'timed out waiting for a conversation lock');
  }
  return leave;
}

/**
 * A lock file made with O_EXCL, so two processes sharing one DATA_DIR take turns. A lock older than
 * `staleMs` belonged to a process that died mid-write (kill -9) and is broken rather than waited on.
 * Callers in one process queue in memory first, so only one of them at a time polls the file.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options = { waitMs: 5000, staleMs: 10000 }): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  const leave = await inProcessTurn(lockPath, deadline);
  try {
    return await holdingLockFile(lockPath, work, deadline, options.staleMs);
  } finally {
    leave();
  }
}

async function holdingLockFile<T>(lockPath: string, work: () => Promise<T>, deadline: number, staleMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) await unlink(lockPath).catch(() => undefined);
      else if (Date.now() > deadline) throw new DomainError('SG-STORE-UNAVAILABLE', 'timed out waiting for a conversation lock');
      else await sleep(Math.min(2 + attempt * 2, 25));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
