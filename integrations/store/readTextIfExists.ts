import { readTextOrUndefined } from './fileCalls';

/** A file's text, or undefined when it does not exist; any other read error is thrown (as a rejection). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  return readTextOrUndefined(path);
}
