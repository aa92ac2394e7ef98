import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { startMashStub, type MashStub } from './support/mashStub';
import { marfAnswers, referralAnswers } from './support/referralAnswers';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

jest.setTimeout(180_000);

const mashToken = 'reference-test-token-0123456789';
/** The answers up to the referrer's questions: a signed-in professional is never asked who they are. */
// A signed-in professional is not asked who they are; issue 21's questions (the phone first) still are.
const answersBeforeReferrer = [...referralAnswers.slice(0, referralAnswers.indexOf('Designated safeguarding lead')), ...marfAnswers];

let stub: MashStub;
let service: ServiceProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stub = await startMashStub({ token: mashToken });
  service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: mashToken });
  browser = await launchChromium();
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await stub?.close();
});

declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> };

const activities = () => page.locator('.webchat__basic-transcript__activity');
const sendBox = () => page.locator('.webchat__send-box-text-box__input, .webchat__send-box-text-box__html-text-area').first();
const referralCards = () => page.locator('section[aria-label="Referral to the MASH"]');
const suggested = () => page.getByRole('toolbar', { name: 'Suggested actions' }).locator('button.webchat__suggested-action');

/** Types an answer at a person's pace (the Direct Line allows 20 messages per 10 s) and waits for the reply. */
async function type(text: string) {
  const before = await activities().count();
  await new Promise((r) => setTimeout(r, 550));
  await sendBox().fill(text);
  await sendBox().press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
}

describe('web chat: "What next?" stays until it is used (issue 20 item 5)', () => {
  it('files a referral by typing (lists answered as "1, 2" and "none")', async () => {
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('Your name').fill('Test Teacher');
    await page.getByLabel('Your role').fill('Designated safeguarding lead');
    await page.getByLabel('Your organisation').fill('Test School');
    await page.getByLabel('Work email').fill('test.teacher@example.org');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await suggested().first().waitFor();
    for (const answer of answersBeforeReferrer) await type(answer);
    await type('Submit');
    await page
      .getByText(/What next\?/)
      .last()
      .waitFor();
    // "Referral filed" is a card (issue 20 item 5): the outcome in one line, in plain words.
    const filed = referralCards().first();
    expect(await filed.locator('.sg-result__outcome').innerText()).toBe('Referral filed: it is on its way to the MASH');
  });

  it('keeps the buttons when "reached the MASH" arrives after them, and they still answer', async () => {
    await page
      .getByText(/has reached the MASH/)
      .first()
      .waitFor({ timeout: 60_000 });
    const last = activities().last();
    expect(await last.innerText()).toMatch(/has reached the MASH/);
    // The MASH update is a card too: its outcome line, the line to phone as a tel: link, the references behind a disclosure.
    const reached = referralCards().last();
    expect(await reached.locator('.sg-result__outcome').innerText()).toBe('Your referral has reached the MASH');
    expect(await reached.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    await reached.locator('summary').click();
    expect(await reached.locator('details').innerText()).toMatch(/MASH reference: \S+/);
    expect(await reached.innerText()).not.toMatch(/safeguarding\.|\bdelivered\b/);
    await suggested().filter({ hasText: 'Who can I call?' }).waitFor();
    expect(await suggested().allInnerTexts()).toEqual(['Who can I call?', 'Back to the menu', 'Refer a brother or sister in the same household']);
    await suggested().filter({ hasText: 'Who can I call?' }).click();
    await page
      .getByText(/Emergency Duty Team/)
      .last()
      .waitFor();
  });
});
