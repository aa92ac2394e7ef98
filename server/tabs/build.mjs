// Bundles the "My referrals" tab's client (our code and @microsoft/teams-js) into dist/tabs/tab.js. Run by
// `npm run build` (the build:tab script); the client has its own tsconfig (checked first).
import { browserDefines, bundleClient } from '../bundleClient.mjs';

await bundleClient({ entry: 'server/tabs/client/main.ts', outfile: 'tabs/tab.js', tsconfig: 'server/tabs/client/tsconfig.json', define: browserDefines });
