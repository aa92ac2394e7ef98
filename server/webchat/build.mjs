// Bundles the Web Chat page's client (Microsoft's botframework-webchat, React, our middleware) into
// dist/webchat/app.js. Run by `npm run build` (the build:webchat script); the client has its own
// tsconfig (checked first).
import { browserDefines, bundleClient } from '../bundleClient.mjs';

await bundleClient({ entry: 'server/webchat/client/main.ts', outfile: 'webchat/app.js', tsconfig: 'server/webchat/client/tsconfig.json', define: browserDefines });
