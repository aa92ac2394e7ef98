import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { jsonAs } from '../test/support/json';
import { manifestSchemaUrl } from './buildManifest';
import { main, ManifestInvalidError, packageTeamsApp } from './packageTeamsApp';
import { decodePng } from './png';
import { validateManifest } from './validateManifest';
import { readZip } from './zip';

// See buildManifest.test.ts: strip-bom 5 is ESM only, which jest cannot require on Node 20.
jest.mock('@microsoft/app-manifest/node_modules/strip-bom', () => (text: string) => text.replace(/^\uFEFF/, ''));

const env = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', PUBLIC_BASE_URL: 'https://bot.example.org' };
const names = ['manifest.json', 'color.png', 'outline.png'];

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // unzip answers --version with an error status but still exists: only ENOENT means absent.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** The entry names an independent unzip tool finds, after it has tested every entry's CRC. */
function listWithExternalTool(zipPath: string): string[] {
  if (hasCommand('unzip')) {
    execFileSync('unzip', ['-tq', zipPath]);
    const listing = execFileSync('unzip', ['-l', zipPath], { encoding: 'utf8' });
    return listing.split('\n').flatMap((line) => /^\s*\d+\s+\S+\s+\S+\s+(\S.*)$/.exec(line)?.[1] ?? []);
  }
  const script = 'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("\\n".join(z.namelist()))';
  return execFileSync('python3', ['-c', script, zipPath], { encoding: 'utf8' }).trim().split('\n');
}

describe('packageTeamsApp', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes a zip with exactly manifest.json and the two icons at its root', async () => {
    const { zipPath } = await packageTeamsApp({ env, appVersion: '1.0.0', outDir });
    expect(zipPath).toBe(join(outDir, 'safeguarding-bot.zip'));
    const entries = readZip(readFileSync(zipPath));
    expect(entries.map((e) => e.name)).toEqual(names);
    expect(listWithExternalTool(zipPath)).toEqual(names);
  });

  it('packs a manifest that passes the schema and icons of the right size and kind', async () => {
    const { zipPath, manifest } = await packageTeamsApp({ env, appVersion: '1.0.0', outDir });
    const files = Object.fromEntries(readZip(readFileSync(zipPath)).map((e) => [e.name, e.data]));
    const packed = jsonAs(files['manifest.json'].toString('utf8'), z.looseObject({ $schema: z.string(), manifestVersion: z.string() }), 'the packed manifest');
    expect(packed).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect([packed.$schema, packed.manifestVersion]).toEqual([manifestSchemaUrl, '1.30']);
    await expect(validateManifest(packed)).resolves.toEqual([]);
    const color = decodePng(files['color.png']);
    const outline = decodePng(files['outline.png']);
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      expect(a === 0 || (r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
    }
  });

  it('gives the same bytes for the same inputs', async () => {
    const first = readFileSync((await packageTeamsApp({ env, appVersion: '1.0.0', outDir })).zipPath);
    const again = readFileSync((await packageTeamsApp({ env, appVersion: '1.0.0', outDir })).zipPath);
    expect(again.equals(first)).toBe(true);
  });

  it('refuses an invalid manifest with every schema error, leaving no package behind', async () => {
    await packageTeamsApp({ env, appVersion: '1.0.0', outDir });
    const longUrl = `https://bot.example.org/${'a'.repeat(2100)}`;
    const attempt = packageTeamsApp({ env: { ...env, PUBLIC_BASE_URL: longUrl }, appVersion: 'v1', outDir });
    await expect(attempt).rejects.toBeInstanceOf(ManifestInvalidError);
    const problems = await attempt.catch((error: ManifestInvalidError) => error.problems);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/staticTabs\/1\/contentUrl must NOT have more than 2048 characters/),
        expect.stringMatching(/^\/version must be MAJOR\.MINOR\.PATCH/),
      ]),
    );
    expect(existsSync(join(outDir, 'safeguarding-bot.zip'))).toBe(false);
  });
});

describe('npm run package:teams (main)', () => {
  let root: string;
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'teams-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: '0.4.2' }));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes manifest/build/safeguarding-bot.zip with the package.json version and exits 0', async () => {
    await expect(main(env, io, root)).resolves.toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^wrote manifest\/build\/safeguarding-bot\.zip \(manifest\.json, color\.png, outline\.png\): manifest v1\.\d+ valid, app \S+ version 0\.4\.2$/),
    ]);
    expect(err).toEqual([expect.stringMatching(/^warning: TEAMS_APP_ID is unset/)]);
    expect(existsSync(join(root, 'manifest', 'build', 'safeguarding-bot.zip'))).toBe(true);
  });

  it.each(['PUBLIC_BASE_URL', 'MicrosoftAppId'])('exits 1 with one line naming %s when it is missing', async (name) => {
    const partial: NodeJS.ProcessEnv = { ...env, [name]: undefined };
    await expect(main(partial, io, root)).resolves.toBe(1);
    expect(err).toEqual([expect.stringMatching(new RegExp(`^SG-CONFIG-INVALID: ${name} is required`))]);
    expect(out).toEqual([]);
  });

  it('exits 1 listing the schema errors, one per line', async () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: 'latest' }));
    await expect(main({ ...env, TEAMS_APP_ID: env.MicrosoftAppId }, io, root)).resolves.toBe(1);
    expect(err).toEqual([
      'SG-CONFIG-INVALID: the Teams manifest is not valid (1 problem)',
      '  /version must be MAJOR.MINOR.PATCH (e.g. 1.0.0), as Teams requires. Details: {"value":"latest"}',
    ]);
  });
});
