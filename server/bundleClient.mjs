// One esbuild setup for every browser client the server serves (web chat, the Teams tab, the insight
// charts): a single minified IIFE under dist/, so each page loads its scripts from our own origin only
// (CSP `script-src 'self'`, no CDN). Plain .mjs so tsc, whose program has no DOM types, never compiles it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `entry` and `tsconfig` are relative to the project root, `outfile` to dist/. `define` replaces the
 * Node-isms (process.env.NODE_ENV, global) some browser libraries branch on.
 */
export async function bundleClient({ entry, outfile, tsconfig, define }) {
  await build({
    entryPoints: [resolve(projectRoot, entry)],
    outfile: resolve(projectRoot, 'dist', outfile),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    ...(tsconfig ? { tsconfig: resolve(projectRoot, tsconfig) } : {}),
    ...(define ? { define } : {}),
    logLevel: 'warning',
  });
}

/** What React, Web Chat and teams-js expect of a browser build. */
export const browserDefines = { 'process.env.NODE_ENV': '"production"', global: 'globalThis' };
