import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { signInLocally, testTeacher } from './support/webSignIn';

/**
 * Issue 20 items 8 and 9: a page a professional cannot use still helps them. A teacher (no coordinator
 * role) opening the board, and anyone following a wrong address, gets a page with the 999 banner in a
 * landmark, the accessibility statement and a way back, that passes axe; API clients keep problem+json.
 */
const axePath = require.resolve('axe-core/axe.min.js');
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

let service: InProcessService;
let browser: Browser;
jest.setTimeout(60_000);

beforeAll(async () => {
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  const cookie = await signInLocally(service.url, testTeacher);
  browser = await launchChromium();
  const [name, value] = cookie.split('=');
  await browser.context.addCookies([{ name, value, url: service.url }]);
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function expectHelpfulPage(page: Page, where: string): Promise<void> {
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where}: ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
  const banner = page.locator('aside.emergency');
  expect(await banner.innerText()).toMatch(/999/);
  await page.getByRole('link', { name: 'Accessibility statement' }).waitFor();
}

describe('error pages in Chromium', () => {
  it('a teacher opening the coordinator board gets a 403 page saying whom it is for, not JSON', async () => {
    const { page } = browser;
    const response = await page.goto(`${service.url}/coordinator`);
    expect(response?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Not available to you' }).waitFor();
    await expectHelpfulPage(page, '403 page');
  });

  it('a wrong address gets a "page not found" page with the way home', async () => {
    const { page } = browser;
    const response = await page.goto(`${service.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectHelpfulPage(page, '404 page');
    await page.getByRole('link', { name: 'Go to the safeguarding chat' }).click();
    await page.waitForURL(`${service.url}/`);
  });

  it('an API client still gets problem+json for an unknown route', async () => {
    for (const accept of ['application/json', '*/*']) {
      const response = await fetch(`${service.url}/api/no-such-route`, { headers: { accept } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'SG-HTTP-NOT-FOUND', status: 404 });
    }
  });
});
