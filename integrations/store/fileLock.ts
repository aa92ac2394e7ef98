import { open, stat, unlink } from 'node:fs/promises';
import { DomainError } from '../../flows';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lock file made with O_EXCL, so two processes sharing one DATA_DIR take turns. A lock older than
 * `staleMs` belonged to a process that died mid-write (kill -9) and is broken rather than waited on.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options = { waitMs: 5000, staleMs: 10000 }): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > options.staleMs) await unlink(lockPath).catch(() => undefined);
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
