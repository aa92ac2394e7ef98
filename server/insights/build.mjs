// Bundles the insight page's client (our code, Chart.js tree-shaken, and @microsoft/teams-js) into
// dist/insights/insights.js. Run by `npm run build` (the build:insights script); the client has its own
// tsconfig (checked first).
import { browserDefines, bundleClient } from '../bundleClient.mjs';

await bundleClient({ entry: 'server/insights/client/main.ts', outfile: 'insights/insights.js', tsconfig: 'server/insights/client/tsconfig.json', define: browserDefines });
