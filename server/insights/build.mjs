// Bundles the insight page's chart script (Chart.js, tree-shaken) into dist/insights/insights.js. Run by
// `npm run build` (the build:insights script).
import { bundleClient } from '../bundleClient.mjs';

await bundleClient({ entry: 'server/insights/client/main.mjs', outfile: 'insights/insights.js' });
