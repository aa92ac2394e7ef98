import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';

/**
 * Writes a whole file or nothing: fsync a temporary file, then rename it over the old one. Readers then
 * never see a torn file, even after `kill -9` mid-write, so they can read without taking the lock.
 */
export async function writeAtomically(path: string, contents: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
