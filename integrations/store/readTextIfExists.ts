import { callbackFs } from './callbackFs';

/** A file's text, or undefined when it does not exist; any other read error is thrown. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  return callbackFs.readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}
