import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type Browser } from './support/chromium';
import { fileWebChatReferral } from './support/fileWebChatReferral';
import { startMashStub, type MashStub } from './support/mashStub';
import { until } from './support/referralAnswers';
import { projectRoot, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

jest.setTimeout(120_000);

const artifacts = join(projectRoot, 'test', 'artifacts');
const axePath = require.resolve('axe-core/axe.min.js');
const mashToken = 'reference-test-token-0123456789';
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

let stub: MashStub;
let service: ServiceProcess;
let browser: Browser;
let clientReference: string;

beforeAll(async () => {
  stub = await startMashStub({ token: mashToken });
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: mashToken });
  // The teacher files a referral in the web chat first; the tab must then list it.
  const cookie = await signInLocally(service.url, testTeacher);
  clientReference = await fileWebChatReferral(service.url, (await webChatToken(service.url, cookie)).token);
  await until(() => stub.storedBody(clientReference), 'the MASH stub to receive the referral');
  await deliveredFor(cookie);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await stub?.close();
});

/** Waits until the delivery worker has recorded the MASH's acknowledgement (the list API says so). */
async function deliveredFor(cookie: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const list = (await (await fetch(`${service.url}/api/my-referrals`, { headers: { cookie } })).json()) as { referrals: Array<{ status: string }> };
    if (list.referrals[0]?.status === 'delivered') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the referral was not delivered within 30 s');
}

async function expectAccessible(where: string) {
  // The CSP (script-src 'self') refuses an injected <script>; page.evaluate goes through DevTools instead.
  await browser.page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await browser.page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

describe('the "My referrals" tab in Chromium, outside Teams', () => {
  it('sends a signed-out browser to the web sign-in and back to the tab', async () => {
    const { page } = browser;
    const response = await page.goto(`${service.url}/tabs/referrals`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft");
    await page.waitForURL(/\/signin\?returnTo=%2Ftabs%2Freferrals$/);
    await page.getByLabel('Your name').fill(testTeacher.name);
    await page.getByLabel('Your role').fill(testTeacher.role);
    await page.getByLabel('Your organisation').fill(testTeacher.organisation);
    await page.getByLabel('Work email').fill(testTeacher.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/tabs/referrals`);
  });

  it('lists the referral filed in the web chat with its MASH status, and passes axe', async () => {
    const { page } = browser;
    const table = page.getByRole('table', { name: /Referrals you filed/ });
    await table.waitFor();
    await page.getByRole('status').getByText('Signed in as Test Teacher. 1 referral.').waitFor();
    const row = table.getByRole('row', { name: new RegExp(clientReference) });
    await row.getByText('Web chat').waitFor();
    await row.getByText('Received by the MASH').waitFor();
    await row.getByText('None yet').waitFor();
    expect(await row.getByRole('cell').nth(0).textContent()).toMatch(/\S/); // the MASH reference
    expect(await row.getByRole('cell').nth(0).textContent()).not.toBe('Not yet');
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Your reference', 'MASH reference', 'Filed', 'Channel', 'Status', 'MASH decision', 'Latest update']);
    await expectAccessible('tab');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'tab-my-referrals.png'), fullPage: true });
  });

  it('answers the list API only to a signed-in professional (problem+json otherwise)', async () => {
    const res = await fetch(`${service.url}/api/my-referrals`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('SG-AUTH-UNAUTHENTICATED');
  });

  it('says Teams SSO is not configured when TEAMS_SSO_TENANT_IDS is unset', async () => {
    const res = await fetch(`${service.url}/tabs/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(40) }) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('SG-AUTH-SSO-OFF');
  });
});
