// Bundles the insight page's chart script (Chart.js, tree-shaken) into dist/insights/insights.js, so
// the page loads everything from our own origin: no CDN, CSP `script-src 'self'`. Run by `npm run
// build` (the build:insights script). Plain .mjs, like server/webchat/build.mjs, so tsc never sees it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

await build({
  entryPoints: [resolve(root, 'server', 'insights', 'client', 'main.mjs')],
  outfile: resolve(root, 'dist', 'insights', 'insights.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
});
