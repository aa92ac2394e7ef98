import type { Page } from 'playwright-core';

/** Where the fake host is "served": a real Teams origin, so teams-js trusts its messages (its built-in list). */
export const teamsHostUrl = 'https://teams.microsoft.com/_fake-host/';

/**
 * A stand-in for the Teams web client: Playwright answers requests for `teamsHostUrl` with a page that
 * frames `tabUrl` and answers teams-js's postMessage protocol (initialize, getContext, getAuthToken) the
 * way the Teams host does, handing out `token()` as the SSO token. Nothing reaches the network: the
 * route fulfils the request. `window.teamsCalls` in the host lists every call the tab made.
 */
export async function serveFakeTeamsHost(page: Page, tabUrl: string, token: () => string): Promise<void> {
  await page.context().route(`${teamsHostUrl}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPage(tabUrl, token()) }));
}

// Runtime config as a Teams host sends it after initialize: the capabilities the tab may use.
const runtime = JSON.stringify({ apiVersion: 4, isLegacyTeams: false, supports: { appInitialization: {}, authentication: {}, pages: { config: {}, tabs: {} }, teamsCore: {} } });
const context = {
  app: { locale: 'en-gb', theme: 'default', sessionId: 'fake-session', host: { name: 'Teams', clientType: 'web', sessionId: 'fake-host-session' } },
  page: { id: 'insights', frameContext: 'content' },
  user: { id: 'fake-user' },
};

function hostPage(tabUrl: string, token: string): string {
  return `<!doctype html><html lang="en"><head><title>Fake Teams host</title></head><body>
<iframe id="tab" title="tab" src="${tabUrl}" style="width:1100px;height:3000px;border:0"></iframe>
<script>
window.teamsCalls = [];
const answers = {
  initialize: ['content', 'web', ${JSON.stringify(runtime)}, '2.58.0'],
  getContext: [${JSON.stringify(context)}],
  'authentication.getAuthToken': [true, ${JSON.stringify(token)}],
};
window.addEventListener('message', (event) => {
  const message = event.data;
  if (!message || typeof message.func !== 'string') return;
  window.teamsCalls.push(message.func);
  event.source.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args: answers[message.func] || [] }, event.origin);
});
</script></body></html>`;
}
