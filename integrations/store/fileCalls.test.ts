import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDataDir } from '../../test/support/outboxTesting';
import { createExclusively, readTextOrUndefined, removeIfExists } from './fileCalls';
import { readTextIfExists } from './readTextIfExists';
import { writeAtomically } from './writeAtomically';
import { withFileLock } from './fileLock';

// The turn's file calls are synchronous (fileCalls.ts says why); these check that a failure still reaches
// the caller as a rejected promise, never a throw out of the call or a crash, and leaves nothing behind.
describe('the embedded store’s file calls', () => {
  it('reads a document, says undefined for a missing one, and rejects (not throws) on any other error', async () => {
    const dir = testDataDir();
    writeFileSync(join(dir, 'a.json'), '{"rev":1}');
    await expect(readTextIfExists(join(dir, 'a.json'))).resolves.toBe('{"rev":1}');
    await expect(readTextIfExists(join(dir, 'missing.json'))).resolves.toBeUndefined();
    const read = readTextIfExists(dir); // a folder: EISDIR
    await expect(read).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readTextOrUndefined(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('creates a lock file only once, owner-only, and removing it twice is not an error', () => {
    const dir = testDataDir();
    const lock = join(dir, 'x.lock');
    expect(createExclusively(lock, 'me\n', 0o600)).toBe(true);
    expect(createExclusively(lock, 'someone else\n', 0o600)).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe('me\n');
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    removeIfExists(lock);
    expect(() => removeIfExists(lock)).not.toThrow();
    expect(existsSync(lock)).toBe(false);
  });

  it('a write that cannot be renamed into place rejects and leaves no temporary file', async () => {
    const dir = testDataDir();
    mkdirSync(join(dir, 'taken'));
    const write = writeAtomically(join(dir, 'taken'), 'text'); // renaming a file over a folder fails
    await expect(write).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(dir)).toEqual(['taken']);
    await expect(writeAtomically(join(dir, 'no-such-folder', 'a.json'), 'text')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes whole files: what was written is what is read, and the old text is replaced', async () => {
    const dir = testDataDir();
    const path = join(dir, 'doc.json');
    await writeAtomically(path, 'old');
    const big = 'é'.repeat(200_000); // multi-byte and larger than one write may take
    await writeAtomically(path, big, { sync: false });
    expect(readFileSync(path, 'utf8')).toBe(big);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a lock is released (its file removed) when the work fails, and the next caller then runs', async () => {
    const dir = testDataDir();
    const lock = join(dir, 'doc.json.lock');
    const order: string[] = [];
    const first = withFileLock(lock, async () => {
      order.push('first');
      expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} \\S+\\n$`));
      throw new Error('the work failed');
    });
    const second = withFileLock(lock, async () => {
      order.push('second');
      return 'ran';
    });
    await expect(first).rejects.toThrow('the work failed');
    await expect(second).resolves.toBe('ran');
    expect(order).toEqual(['first', 'second']);
    expect(existsSync(lock)).toBe(false);
  });
});
