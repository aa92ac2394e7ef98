import { chmod, mkdir } from 'node:fs/promises';

/**
 * `DATA_DIR` owned by the service alone (0700), also when it already existed with a wider mode: file
 * names and record ids in it are not secret, but nobody else on the host needs to list them (pen test L8).
 * Every file in it is created 0600 by the stores.
 */
export async function secureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}
