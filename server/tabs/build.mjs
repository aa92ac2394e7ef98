// Bundles the "My referrals" tab's client (our code and @microsoft/teams-js) into dist/tabs/tab.js, so
// the page loads its only script from our origin (CSP `script-src 'self'`, no CDN). Run by `npm run
// build` (the build:tab script). Plain .mjs so tsc never compiles it; the client has its own tsconfig.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const client = resolve(root, 'server', 'tabs', 'client');

await build({
  entryPoints: [resolve(client, 'main.ts')],
  outfile: resolve(root, 'dist', 'tabs', 'tab.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  tsconfig: resolve(client, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  logLevel: 'warning',
});
