import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DomainError, loadDefaultPack, signedOffSchema, signedOffSnapshot, statusAt, type ContentPack, type SignedOff } from '../../flows';
import { runAsEntryPoint, runCli, type Output } from './cliContext';
import { packReviewHtml } from './packReviewHtml';

/** Where the Gloucestershire pack's JSON lives in the repository (the CLI runs from the repo root). */
const defaultPackDir = 'flows/content/gloucestershire';

interface Options {
  out: string;
  packDir: string;
  signOff?: string;
}

function parseArgs(args: string[]): Options {
  const options: Options = { out: 'pack-review.html', packDir: defaultPackDir };
  for (let i = 0; i < args.length; i += 1) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!['--out', '--pack-dir', '--sign-off'].includes(flag))
      throw new DomainError('SG-CONFIG-INVALID', `unknown option ${flag} (use --out FILE, --sign-off "Name, role", --pack-dir DIR)`);
    if (!value || value.startsWith('--')) throw new DomainError('SG-CONFIG-INVALID', `${flag} needs a value`);
    if (flag === '--out') options.out = value;
    if (flag === '--pack-dir') options.packDir = value;
    if (flag === '--sign-off') options.signOff = value.trim();
    i += 1;
  }
  if (options.signOff === '') throw new DomainError('SG-CONFIG-INVALID', "--sign-off needs the reviewer's name and role");
  return options;
}

function readSignedOff(file: string): SignedOff | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = signedOffSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new DomainError('SG-CONTENT-INVALID', `${file} is not a signed-off snapshot: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Rewrites only the two review lines of core.json, so the file's hand-made layout stays as it is. */
function stampCore(coreFile: string, reviewedOn: string, reviewedBy: string): void {
  const text = readFileSync(coreFile, 'utf8');
  const stamped = text
    .replace(/"reviewedOn":\s*"[^"]*"/, `"reviewedOn": ${JSON.stringify(reviewedOn)}`)
    .replace(/"reviewedBy":\s*"(?:[^"\\]|\\.)*"/, `"reviewedBy": ${JSON.stringify(reviewedBy)}`);
  if (!/"reviewedOn"/.test(text) || !/"reviewedBy"/.test(text)) throw new DomainError('SG-CONTENT-INVALID', `${coreFile} has no "reviewedOn"/"reviewedBy" to stamp`);
  writeFileSync(coreFile, stamped);
}

/** The London calendar date of `now` (a sign-off is dated as the reviewer's wall calendar reads). */
function londonDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function signOff(pack: ContentPack, options: Options, now: Date, io: Output): number {
  const reviewedOn = londonDate(now);
  const snapshotFile = resolve(options.packDir, 'signed-off.json');
  const snapshot = signedOffSnapshot(pack, reviewedOn, options.signOff ?? '');
  writeFileSync(snapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`);
  stampCore(resolve(options.packDir, 'core.json'), reviewedOn, options.signOff ?? '');
  io.out(`signed off ${pack.id}@${pack.version} by ${options.signOff} on ${reviewedOn}: wrote ${snapshotFile} and stamped ${resolve(options.packDir, 'core.json')} (commit both)`);
  return 0;
}

/**
 * `npm run pack:export`: writes the whole content pack as one HTML document for a safeguarding lead to
 * review (`--out FILE`, default `pack-review.html`), with what changed since `signed-off.json`.
 * `npm run pack:export -- --sign-off "Name, role"` records the sign-off: the snapshot becomes the pack as
 * it is now, and core.json gets `reviewedOn` (today) and `reviewedBy`. Needs no configuration or store.
 */
export async function main(args: string[], _env: NodeJS.ProcessEnv, io: Output, now = new Date()): Promise<number> {
  return runCli(io, async () => {
    const options = parseArgs(args);
    const pack = loadDefaultPack();
    // Touch the opening rules once so a broken rota fails here, not in the lead's reading of it.
    for (const contact of pack.contacts) if (contact.opening) statusAt(pack, contact, now);
    if (options.signOff) return signOff(pack, options, now, io);
    const snapshotFile = resolve(options.packDir, 'signed-off.json');
    const signedOff = readSignedOff(snapshotFile);
    const out = resolve(options.out);
    writeFileSync(out, packReviewHtml(pack, signedOff, now.toISOString()));
    io.out(`wrote ${out} (${pack.id}@${pack.version}; compared with ${signedOff ? `${snapshotFile}, version ${signedOff.version}` : 'no signed-off version'})`);
    return 0;
  });
}

runAsEntryPoint(module, (args, env, io) => main(args, env, io));
