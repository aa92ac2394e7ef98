import type { Output } from '../../server/cli/cliContext';

/** Runs an admin tool's `main` with its output captured: the exit code and the lines it wrote to each stream. */
export async function captureCli(run: (io: Output) => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run({ out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
