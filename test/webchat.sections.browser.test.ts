import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { startMashStub, type MashStub } from './support/mashStub';
import { referralAnswers } from './support/referralAnswers';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

/*
 * Issue 21 items 2 and 7 in Web Chat: the child and the concern as one form (the concern filled in), then
 * the optional sections, picked at the check, answered as one form each (people of concern, then parents
 * and carers), a refused form kept filled in with its error beside the field, the check page listing them,
 * and the referral sent. Axe checks the forms.
 */

jest.setTimeout(180_000);

const axePath = require.resolve('axe-core/axe.min.js');
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string }> };
const mashToken = 'reference-test-token-0123456789';
// Typed up to the child, who is given in one form (issue 21 item 7); then consent and the kind of
// organisation. Signed in, so not asked who they are; the phone, the child's views skipped, then at the
// check the first section picked (the check offers one section per pick and comes back after each).
const answersToChild = referralAnswers.slice(0, referralAnswers.indexOf('Test'));
const answersToSections = [
  ...referralAnswers.slice(referralAnswers.indexOf('Not asked: it would harm a police inquiry'), referralAnswers.indexOf('Designated safeguarding lead')),
  '01632 960123',
  'skip',
  'Add people and places of concern',
];

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
const suggested = () => page.getByRole('toolbar', { name: 'Suggested actions' }).locator('button.webchat__suggested-action');
const liveForm = () => page.locator('form.sg-sectionform:has(button[type="submit"])').last();
const block = (form: Locator, title: string) => form.locator('fieldset', { has: page.locator('legend', { hasText: title }) });

/** Types an answer at a person's pace (the Direct Line allows 20 messages per 10 s) and waits for the reply. */
async function type(text: string) {
  const before = await activities().count();
  await new Promise((r) => setTimeout(r, 550));
  await sendBox().fill(text);
  await sendBox().press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n + 2, before);
}

describe('web chat: referral sections as one form each (issue 21 item 2)', () => {
  it('files a referral with a person of concern and a parent by form, shows both on the check, and the form passes axe', async () => {
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('Your name').fill('Test Teacher');
    await page.getByLabel('Your role').fill('Designated safeguarding lead');
    await page.getByLabel('Your organisation').fill('Test School');
    await page.getByLabel('Work email').fill('test.teacher@example.org');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await suggested().first().waitFor();
    for (const answer of answersToChild) await type(answer);

    // The child and the concern: one form, the concern filled in with what was written at the screening.
    const details = liveForm();
    await details.locator('legend', { hasText: 'The child and the concern' }).waitFor();
    const concern = details.getByLabel(/^The concern/);
    expect(await concern.inputValue()).toBe('She has an older boyfriend and is picked up in a car by men.');
    await details.getByLabel('First name').fill('Test');
    await details.getByLabel('Last name').fill('Child');
    await details.getByLabel('Date of birth (DD/MM/YYYY)').fill('14/03/2012');
    await details.getByLabel('NHS number (10 digits), if known').fill('943 476 5919');
    await details.getByLabel('Postcode where they live, if known').fill('gl1 2tg');
    await details.getByLabel('School, college or setting, if any').fill('Test School');
    await new Promise((r) => setTimeout(r, 550));
    await details.getByRole('button', { name: 'Send' }).click();
    // On at consent: every question the form answered is passed over.
    await activities()
      .filter({ hasText: /you do not need consent to refer a child/ })
      .last()
      .waitFor();
    for (const answer of answersToSections) await type(answer);

    // People and places of concern: one form, two blocks, one Send.
    const people = liveForm();
    await people.waitFor();
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const axe = await page.evaluate<AxeResult>('axe.run(".sg-sectionform", { resultTypes: ["violations"] })');
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    const jay = block(people, 'Person 1');
    await jay.getByLabel('Name or nickname').fill('Jay');
    await jay.getByLabel('Approximate age').fill('24');
    await jay.getByLabel('Vehicle registration').fill('AB12 CDE');
    await jay.getByLabel('Addresses or places (one per line)').fill('Test Station car park, GL1 1AA');
    await new Promise((r) => setTimeout(r, 550));
    await people.getByRole('button', { name: 'Send' }).click();

    // Back at the check, which lists the person of concern; parents and carers picked next.
    await activities()
      .filter({ hasText: /People of concern: Jay/ })
      .last()
      .waitFor();
    await type('Add parents and carers (recommended)');

    // Parents and carers: a phone that is not one is refused, with everything typed still there.
    await page.locator('form.sg-sectionform legend', { hasText: 'Person 1' }).nth(1).waitFor();
    const household = liveForm();
    const parent = block(household, 'Person 1');
    await parent.getByLabel('Name', { exact: true }).fill('Test Parent');
    await parent.getByLabel('Relationship to the child').fill('mother');
    await parent.getByLabel('Phone').fill('ring the school');
    await parent.getByLabel('Parental responsibility').selectOption('yes');
    await new Promise((r) => setTimeout(r, 550));
    await household.getByRole('button', { name: 'Send' }).click();
    await page
      .getByText(/Nothing was added yet/)
      .last()
      .waitFor();
    const again = liveForm();
    await again.locator('.sg-problem', { hasText: /Enter a phone number/ }).waitFor();
    const kept = block(again, 'Person 1');
    expect(await kept.getByLabel('Name', { exact: true }).inputValue()).toBe('Test Parent');
    expect(await kept.getByLabel('Relationship to the child').inputValue()).toBe('mother');
    expect(await kept.getByLabel('Parental responsibility').inputValue()).toBe('yes');
    expect(await kept.getByLabel('Phone').getAttribute('aria-invalid')).toBe('true');
    await kept.getByLabel('Phone').fill('01632 960001');
    await new Promise((r) => setTimeout(r, 550));
    await again.getByRole('button', { name: 'Send' }).click();

    // Check your answers lists both, then the referral is sent.
    const check = activities()
      .filter({ hasText: /Parents and carers: Test Parent/ })
      .last();
    await check.waitFor();
    const summary = await check.innerText();
    expect(summary).toMatch(/First name: Test\n/);
    expect(summary).toMatch(/School or setting: Test School\n/);
    expect(summary).toMatch(/Parents and carers: Test Parent, mother, 01632 960001, parental responsibility/);
    expect(summary).toMatch(/People of concern: Jay, about 24, AB12 CDE, Test Station car park, GL1 1AA/);
    await type('Submit');
    await page
      .getByText(/What next\?/)
      .last()
      .waitFor();
    expect(await page.locator('section[aria-label="Referral to the MASH"]').first().locator('.sg-result__outcome').innerText()).toBe(
      'Referral filed: it is on its way to the MASH',
    );
  });
});
