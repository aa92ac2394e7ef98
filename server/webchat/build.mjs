// Bundles the Web Chat page's client (Microsoft's botframework-webchat, React, our middleware) into
// dist/webchat/app.js, so the page loads everything from our own origin: no CDN, and a CSP of
// `script-src 'self'`. Run by `npm run build` (the build:webchat script). Plain .mjs so tsc, whose
// program has no DOM types, never compiles it; the client has its own tsconfig (checked first).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const client = resolve(root, 'server', 'webchat', 'client');

await build({
  entryPoints: [resolve(client, 'main.ts')],
  outfile: resolve(root, 'dist', 'webchat', 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  tsconfig: resolve(client, 'tsconfig.json'),
  // React and some Web Chat dependencies branch on these Node-isms; the browser has neither.
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  logLevel: 'warning',
});
