import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DomainError, isDomainError } from '../flows';
import { buildManifest, iconFiles, type TeamsManifest } from './buildManifest';
import { checkIcons } from './checkIcons';
import { drawColorIcon, drawOutlineIcon } from './icons';
import { encodePng } from './png';
import { loadTeamsAppConfig } from './teamsAppConfig';
import { validateManifest } from './validateManifest';
import { createZip, type ZipEntry } from './zip';

/** The package's file name inside the output folder. */
export const packageFileName = 'safeguarding-bot.zip';

/** An invalid manifest: the detail summarises, `problems` lists every schema error, one per line. */
export class ManifestInvalidError extends DomainError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super('SG-CONFIG-INVALID', `the Teams manifest is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
    this.name = 'ManifestInvalidError';
    this.problems = problems;
  }
}

export interface PackageOptions {
  env: NodeJS.ProcessEnv;
  /** The app's version in the manifest (MAJOR.MINOR.PATCH); Teams wants it raised on every update. */
  appVersion: string;
  /** Where manifest.json, the icons and the zip are written. */
  outDir: string;
}

export interface PackageResult {
  zipPath: string;
  manifest: TeamsManifest;
  files: ZipEntry[];
  warnings: string[];
}

/** Builds, validates and checks everything that goes in the zip, without writing anything. */
export async function assemblePackage(env: NodeJS.ProcessEnv, appVersion: string): Promise<Omit<PackageResult, 'zipPath'>> {
  const { config, warnings } = loadTeamsAppConfig(env);
  const manifest = buildManifest(config, appVersion);
  const schemaProblems = await validateManifest(manifest);
  if (schemaProblems.length) throw new ManifestInvalidError(schemaProblems);
  const icons = { color: encodePng(drawColorIcon()), outline: encodePng(drawOutlineIcon()) };
  const iconProblems = checkIcons(icons);
  if (iconProblems.length) throw new DomainError('SG-INTERNAL', `the Teams app icons are not fit to ship: ${iconProblems.join('; ')}`);
  const files: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: iconFiles.color, data: icons.color },
    { name: iconFiles.outline, data: icons.outline },
  ];
  return { manifest, files, warnings };
}

/**
 * Writes `<outDir>/safeguarding-bot.zip` (manifest.json, color.png and outline.png at its root) and the
 * same three files beside it for inspection. Earlier outputs are removed first, so a failed run never
 * leaves an old package that looks current.
 */
export async function packageTeamsApp(options: PackageOptions): Promise<PackageResult> {
  const zipPath = join(options.outDir, packageFileName);
  for (const name of [packageFileName, 'manifest.json', iconFiles.color, iconFiles.outline]) rmSync(join(options.outDir, name), { force: true });
  const assembled = await assemblePackage(options.env, options.appVersion);
  mkdirSync(options.outDir, { recursive: true });
  for (const file of assembled.files) writeFileSync(join(options.outDir, file.name), file.data);
  writeFileSync(zipPath, createZip(assembled.files));
  return { ...assembled, zipPath };
}

/** The folder holding the project's package.json: the source tree's parent or dist/'s. */
export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new DomainError('SG-INTERNAL', `no package.json above ${from}`);
  }
}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

function report(error: unknown, io: Output): void {
  if (error instanceof ManifestInvalidError) {
    io.err(error.message);
    for (const problem of error.problems) io.err(`  ${problem}`);
  } else if (isDomainError(error)) {
    io.err(error.message);
  } else {
    io.err(`SG-INTERNAL: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `npm run package:teams`: returns the process exit code (0 written, 1 refused with the reasons on stderr). */
export async function main(env: NodeJS.ProcessEnv, io: Output, root = findProjectRoot(__dirname)): Promise<number> {
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const result = await packageTeamsApp({ env, appVersion: version, outDir: join(root, 'manifest', 'build') });
    for (const warning of result.warnings) io.err(`warning: ${warning}`);
    io.out(
      `wrote ${relative(root, result.zipPath)} (${result.files.map((f) => f.name).join(', ')}): manifest v${result.manifest.manifestVersion} valid, app ${result.manifest.id} version ${result.manifest.version}`,
    );
    return 0;
  } catch (error) {
    report(error, io);
    return 1;
  }
}

if (require.main === module) {
  void main(process.env, { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
    process.exitCode = code;
  });
}
