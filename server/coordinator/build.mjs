// Bundles the coordinator board's small live-update script into dist/coordinator/board.js. Run by
// `npm run build`; the client has its own tsconfig (checked first).
import { browserDefines, bundleClient } from '../bundleClient.mjs';

await bundleClient({ entry: 'server/coordinator/client/main.ts', outfile: 'coordinator/board.js', tsconfig: 'server/coordinator/client/tsconfig.json', define: browserDefines });
