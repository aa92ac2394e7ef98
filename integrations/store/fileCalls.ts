import { closeSync, fdatasync, fsync, openSync, readFileSync, rename, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The file calls a turn makes on the embedded store (issue 23). Everything that only touches the page
 * cache (opening, reading and writing a small file, creating and removing a lock file) is synchronous; the
 * calls that wait for the disk (fsync, fdatasync, and a rename over an existing file) go to libuv's thread pool.
 *
 * Why: each asynchronous file call is a round trip through the thread pool, two thread wake-ups and a
 * completion on the event loop. Measured on the 2-core machine the bench runs on, reading a 5 kB document
 * cost 150 µs of CPU asynchronously against 15 to 20 µs synchronously, and taking and releasing a lock file
 * 190 µs against 20 to 30 µs; a screening turn made about 25 such calls, and under 100 turns/s the embedded
 * service spent 89 % of a core, most of the difference from the Redis store. A turn's documents are small
 * and were written moments ago, so they are in the page cache; the calls that could block on the device
 * for long are the flushes, and those stay asynchronous and shared (the group commit). See
 * docs/performance.md, "Embedded: synchronous small-file calls".
 */
export const flushToDisk = {
  fsync: promisify(fsync),
  fdatasync: promisify(fdatasync),
};

/**
 * Asynchronous too: renaming a new file over an existing one makes ext4 start writing the new file's data
 * (`auto_da_alloc`, the replace-by-rename safeguard), 0.1 ms alone and about 1 ms under the bench's load,
 * which on the event loop every turn would wait behind.
 */
export const renameFile = promisify(rename);

/** A file's text, or undefined when it does not exist; any other read error is thrown. */
export function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates `path` with `text` only if it does not exist yet (O_EXCL); false when it does. */
export function createExclusively(path: string, text: string, mode: number): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx', mode });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes `path`; one that is already gone is not an error. */
export function removeIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Writes all of `text` at the descriptor's position (a short write, rare on a local disk, is continued). */
export function writeAll(fd: number, text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
}

/** Opens `path`, runs `use` on the descriptor and closes it whatever happens. */
export async function withFd<T>(path: string, flags: string, mode: number, use: (fd: number) => T | Promise<T>): Promise<T> {
  const fd = openSync(path, flags, mode);
  try {
    return await use(fd);
  } finally {
    closeSync(fd);
  }
}
