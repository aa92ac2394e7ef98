import { readFile, unlink } from 'node:fs/promises';
import { createExclusively, removeIfExists } from './fileCalls';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
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
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now())))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    leave();
    throw new DomainError('SG-STORE-UNAVAILABLE', 'timed out waiting for a conversation lock');
  }
  return leave;
}

/** Default wait for a lock before a turn fails with SG-STORE-UNAVAILABLE. */
const defaultWaitMs = 5000;
/**
 * A lock whose owner cannot be told (an empty file: its writer died between creating and naming itself;
 * another host) is broken once this process has seen it unchanged for this long, by the monotonic clock.
 */
const defaultStaleMs = 3000;
/** A lock naming a live process, unchanged this long, names a reused PID: nothing holds a lock that long. */
const maxHoldMs = 60_000;

export interface FileLockOptions {
  waitMs: number;
  staleMs: number;
}

/** What a lock file says about its owner: `<pid> <host>`. */
export const lockOwnerText = () => `${process.pid} ${hostname()}\n`;

/** True when `pid` is a running process (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lock file may be broken now, from its owner (reliability F9): a process on this host that is
 * gone, or this process's own PID (a restarted container is PID 1 again; this process's callers are queued
 * in memory, so it cannot be holding the file itself), is broken at once. Ages are measured from when this
 * process first saw the same owner text on the monotonic clock, never from the file's mtime against the
 * wall clock, which a clock step moves (reliability experiment 8).
 */
const firstSeen = new Map<string, { owner: string; at: number }>();
function mayBreak(lockPath: string, owner: string, staleMs: number): boolean {
  const seen = firstSeen.get(lockPath);
  const now = performance.now();
  if (!seen || seen.owner !== owner) firstSeen.set(lockPath, { owner, at: now });
  const heldFor = seen && seen.owner === owner ? now - seen.at : 0;
  const match = /^(\d+) (\S+)\s*$/.exec(owner);
  if (!match || match[2] !== hostname()) return heldFor > staleMs;
  const pid = Number(match[1]);
  if (pid === process.pid || !isAlive(pid)) return true;
  return heldFor > maxHoldMs;
}

/**
 * A lock file made with O_EXCL, so two processes sharing one DATA_DIR take turns. It names its owner
 * (`<pid> <host>`); a lock left by a process that died mid-write (kill -9) is broken at once rather than
 * waited out (see mayBreak). Callers in one process queue in memory first, so only one of them at a time
 * polls the file.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions = { waitMs: defaultWaitMs, staleMs: defaultStaleMs }): Promise<T> {
  const deadline = performance.now() + options.waitMs; // monotonic: a clock step neither shortens nor stretches it
  const leave = await inProcessTurn(lockPath, deadline);
  try {
    return await holdingLockFile(lockPath, work, deadline, options.staleMs);
  } finally {
    leave();
  }
}

/** The lock file's text: the host name is read once (os.hostname() is a system call). */
let ownerText: string | undefined;
const takeLockFile = (lockPath: string): boolean => createExclusively(lockPath, (ownerText ??= lockOwnerText()), 0o600);

async function holdingLockFile<T>(lockPath: string, work: () => Promise<T>, deadline: number, staleMs: number): Promise<T> {
  for (let attempt = 0; !takeLockFile(lockPath); attempt++) {
    const owner = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (owner === undefined) continue; // released meanwhile: try again at once
    if (mayBreak(lockPath, owner, staleMs)) {
      // Read again just before: another process may have broken it and taken it meanwhile.
      if ((await readFile(lockPath, 'utf8').catch(() => undefined)) === owner) await unlink(lockPath).catch(() => undefined);
      firstSeen.delete(lockPath);
    } else if (performance.now() > deadline) throw new DomainError('SG-STORE-UNAVAILABLE', 'timed out waiting for a conversation lock');
    else await sleep(Math.min(2 + attempt * 2, 25));
  }
  firstSeen.delete(lockPath);
  try {
    return await work();
  } finally {
    try {
      removeIfExists(lockPath);
    } catch {
      // As before: left behind, it names this process, whose next taker breaks it at once (mayBreak).
    }
  }
}
