import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { syntheticLog, writeEmbeddedAuditLog } from './support/insightsLog';
import { projectRoot, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

const artifacts = join(projectRoot, 'test', 'artifacts');
const axePath = require.resolve('axe-core/axe.min.js');

let service: ServiceProcess;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

jest.setTimeout(120_000);

/** The little of the DOM the page functions below use (this jest program has no DOM lib). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
declare const document: { body: { dataset: Record<string, string | undefined> }; querySelectorAll(selector: string): ArrayLike<Canvas> };

beforeAll(async () => {
  const dataDir = tempDataDir();
  const key = testKey();
  writeEmbeddedAuditLog(dataDir, key, syntheticLog({ count: 3000 }).entries);
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
  browser = await launchChromium();
  page = browser.page;
  page.on('console', (message) => {
    // teams-js (bundled for the Teams tab) asks its CDN for the current list of Teams origins; the CSP
    // (connect-src 'self') refuses it on purpose and teams-js uses the list it ships. Anything else fails.
    if (/Content Security Policy/i.test(message.text()) && !message.text().includes('https://res.cdn.office.net/teams-js/validDomains/')) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function signInAs(roles: string[]) {
  await page.context().clearCookies();
  await page.goto(`${service.url}/insights?from=2026-01-01&to=2026-03-31`);
  await page.waitForURL(/\/signin\?returnTo=/);
  await page.getByLabel('Your name').fill('Test Teacher');
  await page.getByLabel('Your role').fill('Designated safeguarding lead');
  await page.getByLabel('Your organisation').fill('Test Primary School');
  await page.getByLabel('Work email').fill('test.teacher@example.org');
  for (const role of roles) await page.locator(`input[name="localRoles"][value="${role}"]`).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

describe('the insight page in Chromium', () => {
  it('draws every chart beside its table, passes axe, and keeps a screenshot', async () => {
    await signInAs(['partnership-lead']);
    await page.waitForURL(/\/insights\?from=2026-01-01&to=2026-03-31$/);
    await page.getByRole('heading', { name: 'Partnership insight', level: 1 }).waitFor();
    await page.waitForFunction(() => document.body.dataset.chartsDrawn !== undefined);
    const canvases = await page.locator('canvas[data-table]').count();
    expect(canvases).toBe(18); // 16, and the two VOLT tables of issue 21
    expect(await page.evaluate(() => document.body.dataset.chartsDrawn)).toBe(String(18));
    // Each canvas has pixels drawn (not blank): count non-transparent pixels.
    const painted = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas[data-table]')).map((canvas) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
        return count;
      }),
    );
    for (const pixels of painted) expect(pixels).toBeGreaterThan(500);

    const table = page.getByRole('table', { name: /Sharing decisions by outcome/ });
    await expect(table.getByRole('columnheader', { name: 'Outcome' }).count()).resolves.toBe(1);
    await expect(table.getByRole('rowheader', { name: 'Total' }).count()).resolves.toBe(1);
    await expect(page.getByRole('cell', { name: '<5' }).first().isVisible()).resolves.toBe(true);

    await page.evaluate(readFileSync(axePath, 'utf8'));
    const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
    const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
    expect(cspViolations).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'insights-page.png'), fullPage: true });
  });

  it('filters by date range with the form and says what is wrong with a bad range', async () => {
    await page.getByLabel('From', { exact: true }).fill('2026-02-01');
    await page.getByLabel('To', { exact: true }).fill('2026-02-28');
    await page.getByRole('button', { name: 'Show this range' }).click();
    await page.waitForURL(/from=2026-02-01&to=2026-02-28/);
    await page.getByRole('table', { name: 'Activity by month, 2026-02-01 to 2026-02-28' }).waitFor();
    const months = await page
      .getByRole('table', { name: /^Activity by month/ })
      .locator('tbody th')
      .allInnerTexts();
    expect(months).toEqual(['2026-02']);
    expect(await page.getByRole('link', { name: 'Download these figures (CSV)' }).getAttribute('href')).toBe('/insights/export.csv?from=2026-02-01&to=2026-02-28');

    await page.getByLabel('From', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show this range' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/from: must not be after to/);
  });

  it('tells a professional without the role that the page is not for them (403)', async () => {
    await signInAs([]);
    await page.waitForURL(/\/insights\?from=2026-01-01&to=2026-03-31$/);
    const response = await page.reload();
    expect(response?.status()).toBe(403);
    // Whom the page is for and whom to ask, in words (issue 20), not a problem document.
    expect(await page.locator('body').innerText()).toMatch(
      /this page is for partnership leads or CSE coordinators only\.[\s\S]*ask the safeguarding children partnership's business unit/,
    );
  });
});
