// Bundles every browser client in one process (each skips itself when none of its inputs changed):
// `npm run build` calls this after `tsc -b`, so a build with nothing changed takes about a second.
await import('./webchat/build.mjs');
await import('./tabs/build.mjs');
await import('./insights/build.mjs');
await import('./coordinator/build.mjs');
