import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { indicatorQuestions } from './support/indicatorAnswers';
import { projectRoot, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

const artifacts = join(projectRoot, 'test', 'artifacts');

const axePath = require.resolve('axe-core/axe.min.js');

let service: ServiceProcess;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

jest.setTimeout(180_000);

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

/** The little of the DOM the page functions below use (this jest program has no DOM lib). */
interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  matches(selector: string): boolean;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement>; querySelector(selector: string): PageElement | null };

type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

async function expectAccessible(where: string) {
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

const activities = () => page.locator('.webchat__basic-transcript__activity');
const sendBox = () => page.locator('.webchat__send-box-text-box__input, .webchat__send-box-text-box__html-text-area').first();

/** Types an answer into the send box and waits for the echo and the bot's reply. */
async function type(text: string) {
  const before = await activities().count();
  await sendBox().fill(text);
  await sendBox().press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
}

/** The label of the focused checkbox, or the focused element's tag. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
    return label?.textContent ?? el.tagName;
  });

/** Presses Tab until the focused element's label (or tag) matches, failing after 30 presses. */
async function tabTo(target: RegExp) {
  for (let i = 0; i < 30; i++) {
    if (target.test(await focused())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}; focus is on ${await focused()}`);
}

const form = () => page.locator('form.sg-multichoice').last();

describe('web chat: multiple choice as checkboxes, results as cards (issue 20 items 4 and 5)', () => {
  it('signs in and reaches the first list of signs', async () => {
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('Your name').fill('Rae Results');
    await page.getByLabel('Your role').fill('Teacher');
    await page.getByLabel('Your organisation').fill('Test Academy');
    await page.getByLabel('Work email').fill('rae@example.org');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await page
      .getByText(/I help professionals who are worried about a child/)
      .first()
      .waitFor();
    // The category-4 walk of test/screening.protocol.test.ts, typed, up to the first list of signs.
    for (const answer of ['screening', 'no', 'child', '12', 'none', 'I am worried about her.', 'yes', 'no', '4']) await type(answer);
    await form().waitFor();
    expect(indicatorQuestions[0]).toBe('screen-people');
    // No single-click buttons for a list: they sent one sign and moved on.
    expect(await page.locator('button.webchat__suggested-action').count()).toBe(0);
  });

  it('ticks two signs from the keyboard, refuses "None of these" beside them, and sends both at once', async () => {
    await form().getByRole('checkbox').first().focus();
    await tabTo(/^Vehicles driven by unknown adults/);
    await page.keyboard.press('Space');
    await tabTo(/^Isolated from family or friends/);
    await page.keyboard.press('Space');
    await tabTo(/^None of these/);
    await page.keyboard.press('Space');
    // "None of these" never silently clears a ticked sign: it is refused, and says why.
    expect(await form().getByRole('checkbox', { name: 'None of these' }).isChecked()).toBe(false);
    await form()
      .getByText(/cannot be ticked too/)
      .waitFor();
    expect(
      await form()
        .getByRole('checkbox', { name: /^Vehicles driven/ })
        .isChecked(),
    ).toBe(true);
    expect(
      await form()
        .getByRole('checkbox', { name: /^Isolated/ })
        .isChecked(),
    ).toBe(true);
    await expectAccessible('a multiple-choice question');
    mkdirSync(artifacts, { recursive: true });
    await form().screenshot({ path: join(artifacts, 'webchat-multichoice.png') });

    const before = await activities().count();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
    await page.getByText('Vehicles driven by unknown adults, Isolated from family or friends').first().waitFor();
    const answered = page.locator('form.sg-multichoice').nth(1);
    await answered.getByText('Sent: Vehicles driven by unknown adults, Isolated from family or friends').waitFor();
    expect(await answered.getByRole('checkbox', { name: 'None of these' }).isDisabled()).toBe(true);
    // Focus is not lost to the page once the form is sent: it waits in the message box (issue 20 item 9).
    await page.waitForFunction(() => document.activeElement?.matches('[data-id="webchat-sendbox-input"]') === true, undefined, { timeout: 5_000 });
  });

  it('takes "None of these" alone, and typed answers still work', async () => {
    await page.waitForFunction(() => document.querySelectorAll('form.sg-multichoice').length >= 2);
    const none = form().getByRole('checkbox', { name: 'None of these' });
    await none.focus();
    await page.keyboard.press('Space');
    expect(await none.isChecked()).toBe(true);
    // Ticking a sign afterwards unticks "None of these": the sign wins.
    await form().getByRole('checkbox').first().focus();
    await page.keyboard.press('Space');
    expect(await none.isChecked()).toBe(false);
    await page.keyboard.press('Space');
    await none.focus();
    await page.keyboard.press('Space');
    const before = await activities().count();
    await form().getByRole('button', { name: 'Send' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
    // The rest typed: "none" to the other lists, then "no" to the last question.
    for (let i = 2; i < indicatorQuestions.length; i++) await type('none');
    await type('no');
  });

  it('shows the result as a card: one-line outcome, both signs counted, plain words, tel: links', async () => {
    const card = page.locator('section.sg-result[aria-label="Screening result"]').last();
    await card.waitFor();
    const outcome = await card.locator('.sg-result__outcome').innerText();
    expect(outcome).toBe('Exploitation screening: category 4 (significant) · Refer to the MASH · Immediate: phone now');
    const shown = await card.innerText();
    for (const code of [/\bmash-referral\b/, /\bmash\b/, /\bsame-day\b/, /\bfamily-breakdown\b/, /safeguarding\./]) expect(shown).not.toMatch(code);
    const phones = await Promise.all((await card.locator('a[href^="tel:"]').all()).map((link) => link.getAttribute('href')));
    expect(phones).toEqual(expect.arrayContaining(['tel:01452614194', 'tel:999']));
    // The "why" is behind a disclosure that opens from the keyboard, and counts both signs ticked together.
    const summary = card.locator('summary');
    expect(await card.locator('details').getAttribute('open')).toBeNull();
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await card.locator('details').getAttribute('open')).not.toBeNull();
    const why = await card.locator('details').innerText();
    expect(why).toMatch(/three significant indicators/);
    expect(why).toMatch(/Vehicles driven by unknown adults; Isolated from family or friends/);
    await expectAccessible('the chat page with a result');
    mkdirSync(artifacts, { recursive: true });
    await card.screenshot({ path: join(artifacts, 'webchat-result-card.png') });
  });

  it('offers copy, download and print; the download holds the record and no name', async () => {
    const card = page.locator('section.sg-result[aria-label="Screening result"]').last();
    for (const name of ['Copy the record', 'Download the record (HTML)', 'Print the record']) await card.getByRole('button', { name }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download the record (HTML)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^safeguarding-record-[\d-]+\.html$/);
    const path = await download.path();
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('Exploitation screening: category 4 (significant)');
    expect(html).toContain('01452 614194');
    expect(html).toContain('Vehicles driven by unknown adults');
    expect(html).not.toContain('Rae Results');
    expect(html).not.toMatch(/<script/i);

    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.url });
    await card.getByRole('button', { name: 'Copy the record' }).click();
    await card.getByText(/^Copied/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Safeguarding record\n\nMade /);
    expect(copied).toContain('What to do now');
  });

  it('ran under the CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});

declare const navigator: { clipboard: { readText(): Promise<string> } };
