import { close, fdatasync, fsync, open, readFile, write, writeFile } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The file calls a turn makes (issue 23): node:fs's callback functions, promisified, instead of
 * node:fs/promises. The promise API wraps every open in a FileHandle object and reads a file in chunks;
 * in a CPU profile of the embedded store under 16 conversations its `openFileHandle` alone took 12 % of
 * the main thread, and reading a small file cost about half as much CPU through the callback API. Plain
 * file descriptors also leave nothing for the garbage collector to close (Node 26 ends the process on that).
 */
export const callbackFs = {
  readFile: promisify(readFile),
  writeFile: promisify(writeFile),
  open: promisify(open),
  fsync: promisify(fsync),
  fdatasync: promisify(fdatasync),
  close: promisify(close),
};

const writeBuffer = promisify((fd: number, buffer: Buffer, done: (error: NodeJS.ErrnoException | null, written: number) => void) => write(fd, buffer, done));

/** Writes all of `text` at the descriptor's position (a short write, rare on a local disk, is continued). */
export async function writeAll(fd: number, text: string): Promise<void> {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) rest = rest.subarray(await writeBuffer(fd, rest));
}

/** Opens `path`, runs `use` on the descriptor and closes it whatever happens. */
export async function withFd<T>(path: string, flags: string, mode: number, use: (fd: number) => Promise<T>): Promise<T> {
  const fd = await callbackFs.open(path, flags, mode);
  try {
    return await use(fd);
  } finally {
    await callbackFs.close(fd);
  }
}
