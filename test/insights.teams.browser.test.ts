import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Request } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { serveFakeTeamsHost, teamsHostUrl } from './support/fakeTeamsHost';
import { syntheticLog, writeEmbeddedAuditLog } from './support/insightsLog';
import { projectRoot, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { startTeamsSso, type TeamsSso } from './support/teamsSso';
import { signInLocally, testTeacher } from './support/webSignIn';

// The insight page as a Teams tab: framed by a Teams origin (a fake host on https://teams.microsoft.com,
// served by Playwright), it must sign in with the SSO token, because the browser does not send our
// SameSite=Strict cookie to a cross-site frame, even when the browser holds one.
jest.setTimeout(120_000);

const artifacts = join(projectRoot, 'test', 'artifacts');
const leadOid = '12121212-3434-5656-7878-909090909090';
const teacherOid = '99999999-8888-7777-6666-555555555555';
const range = 'from=2026-01-01&to=2026-03-31';

let sso: TeamsSso;
let service: ServiceProcess;
let browser: Browser;
let token = '';
const requests: Request[] = [];

declare const document: { body: { dataset: Record<string, string | undefined> } };
declare const window: { teamsCalls: string[] };

beforeAll(async () => {
  sso = await startTeamsSso();
  const dataDir = tempDataDir();
  const key = testKey();
  writeEmbeddedAuditLog(dataDir, key, syntheticLog({ count: 3000 }).entries);
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key, ...sso.serviceEnv, PARTNERSHIP_LEAD_IDS: leadOid });
  // Real Teams frames a public https service; here the service is on loopback, which Chromium's Local
  // Network Access checks would refuse to a public origin's frame. Only this test's browser lifts them.
  browser = await launchChromium(['--disable-features=LocalNetworkAccessChecks']);
  // The browser holds a partnership lead's session cookie for the service; the framed tab must not need it.
  const cookie = await signInLocally(service.url, { ...testTeacher, localRoles: ['partnership-lead'] });
  const [name, value] = cookie.split(';')[0].split('=');
  await browser.context.addCookies([{ name, value, url: service.url, sameSite: 'Strict', httpOnly: true }]);
  await serveFakeTeamsHost(browser.page, `${service.url}/insights?${range}`, () => token);
  browser.page.on('request', (request) => requests.push(request));
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await sso?.close();
});

async function openInTeams(): Promise<Frame> {
  requests.length = 0;
  await browser.page.goto(teamsHostUrl);
  const frame = browser.page.frames().find((f) => f.url().startsWith(`${service.url}/insights`));
  if (!frame) throw new Error('the tab frame did not load');
  return frame;
}

const apiRequests = (path: string) => requests.filter((r) => new URL(r.url()).pathname === path);

describe('the insight page as a Teams tab (fake Teams host, Chromium)', () => {
  it('signs in with the Teams SSO token, not the cookie, and draws every chart beside its table', async () => {
    token = await sso.token({ oid: leadOid });
    const frame = await openInTeams();
    await frame.waitForFunction(() => document.body.dataset.chartsDrawn !== undefined);
    expect(await frame.evaluate(() => document.body.dataset.chartsDrawn)).toBe('18'); // 16, and the two VOLT tables of issue 21
    await frame.getByRole('table', { name: 'Activity by month, 2026-01-01 to 2026-03-31' }).waitFor();
    expect(await frame.getByRole('cell', { name: '<5' }).count()).toBeGreaterThan(0);
    await frame.getByRole('status').getByText('Figures for 2026-01-01 to 2026-03-31.').waitFor();

    const [api] = apiRequests('/api/insights');
    const headers = await api.allHeaders();
    expect(headers.authorization).toBe(`Bearer ${token}`);
    expect(await browser.context.cookies(service.url)).toHaveLength(1); // the browser holds the session…
    expect(headers.cookie).toBeUndefined(); // …but SameSite=Strict: the frame is cross-site to teams.microsoft.com
    const [shell] = apiRequests('/insights');
    expect((await shell.allHeaders()).cookie).toBeUndefined();
    expect(await browser.page.evaluate(() => window.teamsCalls)).toEqual(expect.arrayContaining(['initialize', 'authentication.getAuthToken', 'appInitialization.success']));
    mkdirSync(artifacts, { recursive: true });
    await browser.page.screenshot({ path: join(artifacts, 'insights-teams-tab.png'), fullPage: true });
  });

  it('downloads the CSV through the bearer and a Blob link', async () => {
    const frame = browser.page.frames().find((f) => f.url().startsWith(`${service.url}/insights`))!;
    const [download] = await Promise.all([browser.page.waitForEvent('download'), frame.getByRole('link', { name: 'Download these figures (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('partnership-insight-2026-01-01-to-2026-03-31.csv');
    expect(download.url()).toMatch(/^blob:/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('table,row,column,count,from,to');
    expect(csv).toContain(',<5,');
    const [request] = apiRequests('/insights/export.csv');
    expect((await request.allHeaders()).authorization).toBe(`Bearer ${token}`);
  });

  it('tells a professional without the role, signed in through Teams, that the figures are not for them', async () => {
    token = await sso.token({ oid: teacherOid });
    const frame = await openInTeams();
    await frame
      .getByRole('status')
      .getByText(/for the partnership lead and coordinator roles/)
      .waitFor();
    expect(await frame.locator('table').count()).toBe(0);
    const [api] = apiRequests('/api/insights');
    expect((await api.response())?.status()).toBe(403);
  });
});
