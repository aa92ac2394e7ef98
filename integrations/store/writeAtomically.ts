import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { flushToDisk, removeIfExists, renameFile, withFd, writeAll } from './fileCalls';
import { join } from 'node:path';
import { isAlive } from './fileLock';

/**
 * Writes a whole file or nothing: fsync a temporary file, then rename it over the old one. Readers then
 * never see a torn file, even after `kill -9` mid-write, so they can read without taking the lock. A
 * write that fails (a full disk) removes its temporary file: 619 of them were left by a disk-full run,
 * prolonging the outage (reliability F11).
 */
export async function writeAtomically(path: string, contents: string, options: { sync: boolean } = { sync: true }): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await withFd(tmp, 'w', 0o600, async (fd) => {
      writeAll(fd, contents);
      // Without it (sync: false) the caller makes the write durable another way: the group-commit journal.
      if (options.sync) await flushToDisk.fsync(fd);
    });
    await renameFile(tmp, path);
  } catch (error) {
    try {
      removeIfExists(tmp);
    } catch {
      // the write's own error is the one to report
    }
    throw error;
  }
}

/** The writer's PID in a temporary file's name (`<file>.<pid>.<hex>.tmp`, as writeAtomically names them). */
const writerPidOf = (name: string): number | undefined => {
  const match = /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

/**
 * Removes temporary files under `dir` and its sub-folders: what a `kill -9` between writing and renaming
 * leaves. Run at start-up and with the hourly purge. One whose writer (named in the file) is gone goes at
 * once, so a restart straight after a crash leaves none (reliability experiment 4a); any other only when
 * older than `olderThanMs`, since a live process (this one, an admin tool) may be about to rename it.
 * Returns how many went.
 */
export async function sweepTemporaryFiles(dir: string, olderThanMs = 60_000, now = Date.now()): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removed += await sweepTemporaryFiles(path, olderThanMs, now);
    else if (entry.name.endsWith('.tmp')) {
      const writer = writerPidOf(entry.name);
      const orphan = writer !== undefined && writer !== process.pid && !isAlive(writer);
      const old =
        orphan ||
        (await stat(path).then(
          (s) => now - s.mtimeMs > olderThanMs,
          () => false,
        ));
      if (
        old &&
        (await unlink(path).then(
          () => true,
          () => false,
        ))
      )
        removed += 1;
    }
  }
  return removed;
}
