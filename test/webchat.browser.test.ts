import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { projectRoot, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

const artifacts = join(projectRoot, 'test', 'artifacts');
const axePath = require.resolve('axe-core/axe.min.js');

let service: ServiceProcess;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

jest.setTimeout(120_000);

beforeAll(async () => {
  service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  browser = await launchChromium();
  page = browser.page;
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/**
 * The little of the DOM the page functions below use. They run in Chromium; this jest program has no
 * DOM lib, and string page functions would need 'unsafe-eval', which the page's CSP rightly refuses.
 */
interface PageElement {
  tagName: string;
  className: string;
  textContent: string | null;
  matches(selector: string): boolean;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };

type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

/** axe-core in the page; only serious and critical violations fail (moderate ones are reported). */
async function expectAccessible(where: string) {
  // page.addScriptTag({ path }) inlines the file, which the page's CSP (script-src 'self') refuses, as
  // it should; so axe goes in through the DevTools protocol, which a CSP does not govern.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = blocking.map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  expect(summary).toEqual([]);
}

const activities = () => page.locator('.webchat__basic-transcript__activity');
const suggested = () => page.getByRole('toolbar', { name: 'Suggested actions' }).locator('button.webchat__suggested-action');

/** Clicks a suggested action (by title, or by its 1-based position) and waits for the bot's next question. */
async function clickAnswer(answer: string) {
  const before = await activities().count();
  await suggested().first().waitFor({ state: 'visible' });
  const button = /^\d+$/.test(answer)
    ? suggested().nth(Number(answer) - 1)
    : suggested()
        .filter({ hasText: new RegExp(`^\\s*${answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'i') })
        .first();
  await button.click();
  await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
}

describe('the web chat page in Chromium', () => {
  it('signs in, passes axe, and shows the welcome', async () => {
    await page.goto(`${service.url}/`);
    await page.waitForURL(/\/signin$/);
    expect(page.getByText('Local sign-in (development mode)')).toBeTruthy();
    await expectAccessible('sign-in page');

    await page.getByLabel('Your name').fill('Ann Example');
    await page.getByLabel('Your role').fill('Designated safeguarding lead');
    await page.getByLabel('Your organisation').fill('Test Primary School');
    await page.getByLabel('Work email').fill('ann@example.org');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await page
      .getByText(/I help professionals who are worried about a child/)
      .first()
      .waitFor();
    await page
      .getByText(/call 999/)
      .first()
      .waitFor();
    await suggested().first().waitFor();
    await expectAccessible('chat page');
  });

  it('answers a suggested action: "Who can I call?"', async () => {
    await page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name: 'Who can I call?' }).click();
    await page
      .getByText(/Emergency Duty Team/)
      .first()
      .waitFor();
    // The clicked button is gone with its question: keyboard focus waits in the message box, not on the page (issue 20 item 9).
    await page.waitForFunction(() => document.activeElement?.matches('[data-id="webchat-sendbox-input"]') === true, undefined, { timeout: 5_000 });
  });

  it('reaches a sharing decision by clicks and renders it with its lawful basis', async () => {
    await page
      .getByText(/Emergency Duty Team/)
      .first()
      .waitFor();
    await clickAnswer('Should I share this?');
    // Where the professional is in the flow, above each question (issue 20 item 6), counting up as they answer.
    const progress = () => page.locator('.sg-progress').last().innerText();
    expect(await progress()).toMatch(/^Question 1 of about \d+$/);
    await clickAnswer('Yes');
    expect(await progress()).toMatch(/^Question 2 of about \d+$/);
    // The path of the "not asked, a child at risk of harm" case in test/sharing.protocol.test.ts (public body).
    for (const answer of ['2', '1', '1', 'I have not asked', 'Yes', 'Yes']) await clickAnswer(answer);
    await suggested().first().waitFor();
    await suggested().nth(0).click();
    const card = page.getByRole('region', { name: 'Information sharing decision' }).or(page.locator('section[aria-label="Information sharing decision"]'));
    await card.first().waitFor();
    // A card (issue 20 item 5): the decision in one line, what to do now, and why, the basis and the sources behind a disclosure.
    expect(await card.first().locator('.sg-result__outcome').innerText()).toMatch(
      /^Decision: share the information with the MASH \(Children and Families Help Desk\)\. You do not need consent\.$/,
    );
    const details = card.first().locator('details');
    await details.locator('summary').click();
    const text = await card.first().innerText();
    expect(text).toMatch(/What to share: only what is needed/);
    expect(text).toMatch(/UK GDPR Article 6\(1\)\(e\) public task .*Article 9\(2\)\(g\) with Data Protection Act 2018 section 10\(3\) and Schedule 1 paragraph 18/);
    expect(await details.innerText()).toMatch(/Lawful basis to record/);
    expect(await details.innerText()).toMatch(/Sources: Information sharing: advice for practitioners/);
    expect(text).toMatch(/Reference: share-[0-9a-f]{24}/);
    // Plain words only: none of the value's codes.
    for (const code of [/\bmash\b/, /share-without-consent/, /risk-of-harm/, /public-body/, /not-now/]) expect(text).not.toMatch(code);
    await card.first().scrollIntoViewIfNeeded();
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'webchat-decision.png'), fullPage: true });
  });

  it('works from the keyboard alone: Tab to the send box, type, Enter', async () => {
    await page.reload();
    await page
      .getByText(/I help professionals/)
      .first()
      .waitFor();
    let reached = false;
    const visited: string[] = [];
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      visited.push(await page.evaluate(() => `${document.activeElement?.tagName}.${document.activeElement?.className}`));
      reached = await page.evaluate(() => document.activeElement?.matches('.webchat__send-box-text-box__input, .webchat__send-box-text-box__html-text-area') ?? false);
    }
    if (!reached) console.log(visited.join('\n'));
    expect(reached).toBe(true);
    // The reload resumed the conversation (issue 20 item 1), so "help" explains the question it is on: the echo and a reply.
    const before = await activities().count();
    await page.keyboard.type('help');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
  });

  it('ran under the CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
