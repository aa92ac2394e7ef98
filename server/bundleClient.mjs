// One esbuild setup for every browser client the server serves (web chat, the Teams tab, the insight
// charts): a single minified IIFE under dist/, so each page loads its scripts from our own origin only
// (CSP `script-src 'self'`, no CDN). Plain .mjs so tsc, whose program has no DOM types, never compiles it.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `entry` and `tsconfig` are relative to the project root, `outfile` to dist/. `define` replaces the
 * Node-isms (process.env.NODE_ENV, global) some browser libraries branch on.
 */
export async function bundleClient({ entry, outfile, tsconfig, define }) {
  const out = resolve(projectRoot, 'dist', outfile);
  // Rebuilt only when an input changed (a second `npm start` is serving within seconds): the last build's
  // inputs, from esbuild's metafile, and a hash of the options are kept beside the bundle.
  const stampFile = `${out}.inputs.json`;
  const options = createHash('sha256')
    .update(JSON.stringify({ entry, outfile, tsconfig, define, esbuild: (await import('esbuild')).version }))
    .digest('hex');
  if (await upToDate(out, stampFile, options)) return;
  const result = await build({
    entryPoints: [resolve(projectRoot, entry)],
    outfile: out,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    metafile: true,
    ...(tsconfig ? { tsconfig: resolve(projectRoot, tsconfig) } : {}),
    ...(define ? { define } : {}),
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(projectRoot, input));
  if (tsconfig) inputs.push(resolve(projectRoot, tsconfig));
  await writeFile(stampFile, JSON.stringify({ options, inputs }));
}

/** True when the bundle exists, was built with the same options, and no input is newer than it (or gone). */
async function upToDate(out, stampFile, options) {
  try {
    const stamp = JSON.parse(await readFile(stampFile, 'utf8'));
    if (stamp.options !== options || !Array.isArray(stamp.inputs)) return false;
    const built = (await stat(out)).mtimeMs;
    for (const input of stamp.inputs) if ((await stat(input)).mtimeMs > built) return false;
    return true;
  } catch {
    return false; // no stamp, no bundle, or an input gone: build
  }
}

/** What React, Web Chat and teams-js expect of a browser build. */
export const browserDefines = { 'process.env.NODE_ENV': '"production"', global: 'globalThis' };
