import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { projectRoot, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { signInLocally, type LocalProfessional } from './support/webSignIn';

/**
 * Issue 20 item 1, in Chromium against the built service: a signed-in professional's conversation survives a
 * reload and a second device (another browser profile signing in as the same person); the page that lost the
 * stream says so and takes it back; another person never sees it; and a coordinator's question sent after a
 * reload reaches the page the professional has open.
 */
const ann: LocalProfessional = { name: 'Ann Example', role: 'Designated safeguarding lead', organisation: 'Test Primary School', email: 'ann.continuity@example.org' };
const ben: LocalProfessional = { name: 'Ben Example', role: 'School nurse', organisation: 'Test Health Trust', email: 'ben.continuity@example.org' };
const coordinator: LocalProfessional = {
  name: 'Test Coordinator',
  role: 'CSE coordinator',
  organisation: 'Test Partnership',
  email: 'coordinator.continuity@example.org',
  localRoles: ['coordinator'],
};

const axePath = require.resolve('axe-core/axe.min.js');

let service: ServiceProcess;
let laptop: Browser;
let phone: Browser;
const cspViolations: string[] = [];
const pageErrors: string[] = [];
const artifacts = join(projectRoot, 'test', 'artifacts');

jest.setTimeout(180_000);

beforeAll(async () => {
  service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  [laptop, phone] = await Promise.all([launchChromium(), launchChromium()]);
  for (const browser of [laptop, phone]) {
    browser.page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    // A stream ended by the service must not leave the client library throwing (or reconnecting) behind the notice.
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  }
});

afterAll(async () => {
  await Promise.all([laptop?.close(), phone?.close()]);
  await service?.stop();
});

/** The little of the DOM the page functions below use (this jest program has no DOM lib). */
interface PageElement {
  tagName: string;
  textContent: string | null;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };

const suggested = (page: Page) => page.getByRole('toolbar', { name: 'Suggested actions' }).locator('button.webchat__suggested-action');
const notice = (page: Page) => page.locator('#sg-stream [role="alert"]');
const sendBox = (page: Page) => page.locator('.webchat__send-box-text-box__html-text-area, .webchat__send-box-text-box__input').first();

async function signIn(page: Page, who: LocalProfessional): Promise<void> {
  await page.goto(`${service.url}/`);
  await page.waitForURL(/\/signin$/);
  await page.getByLabel('Your name').fill(who.name);
  await page.getByLabel('Your role').fill(who.role);
  await page.getByLabel('Your organisation').fill(who.organisation);
  await page.getByLabel('Work email').fill(who.email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${service.url}/`);
}

/** How many transcript entries contain `text` (a function in the page: no eval under the page's CSP). */
const countOf = (page: Page, text: string) =>
  page.evaluate((t) => Array.from(document.querySelectorAll('.webchat__basic-transcript__activity')).filter((e) => (e.textContent ?? '').includes(t)).length, text);

/** Waits until the transcript shows `text` (at least `times` times). */
async function shows(page: Page, text: string, times = 1): Promise<void> {
  await page.waitForFunction(
    ([t, n]) => Array.from(document.querySelectorAll('.webchat__basic-transcript__activity')).filter((e) => (e.textContent ?? '').includes(t)).length >= n,
    [text, times] as const,
    { timeout: 20_000 },
  );
}

/** Clicks the suggested action with this title and waits for the question it leads to. */
async function answer(page: Page, title: string, next: string): Promise<void> {
  const button = suggested(page)
    .filter({ hasText: new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
    .first();
  await button.waitFor({ state: 'visible' });
  await button.click();
  await shows(page, next);
}

type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

async function expectAccessible(page: Page, where: string): Promise<void> {
  // Through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses an inline axe.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

const welcome = 'I help professionals who are worried about a child';
const danger = 'Is anyone in immediate danger right now?';
const identifies = 'Does what you want to share identify anyone?';
const orgKind = 'What kind of organisation are you sharing from?';
const consent = 'Has the person agreed to you sharing it?';

describe('web chat continuity in Chromium (issue 20 item 1)', () => {
  it('says how long the conversation is kept, and keeps it across a reload with the question still pending', async () => {
    const page = laptop.page;
    await signIn(page, ann);
    await shows(page, welcome);
    expect(await page.locator('#sg-kept-for').innerText()).toBe(
      'Your conversation is kept for 24 hours after its last message: reload this page, open it in another tab, or sign in on another device, and carry on where you left off. Then it is deleted.',
    );
    await answer(page, 'Should I share this?', 'Is this about a concern for the safety');
    await answer(page, 'Yes', danger);
    await answer(page, 'No', identifies);

    await page.reload();
    // The transcript comes back from the server: the welcome once, both answered questions, the pending one.
    await shows(page, identifies);
    for (const text of [welcome, danger]) expect(await countOf(page, text)).toBe(1);
    // The pending question is still pending: its answer moves the flow on, not back to the menu.
    await answer(page, 'Yes', orgKind);
  });

  it('continues the same conversation on a second device; the first page says so and takes it back with "Continue here"', async () => {
    await signIn(phone.page, ann);
    // Everything from the laptop, from the server, ending with the question the laptop left pending.
    await shows(phone.page, orgKind);
    expect(await countOf(phone.page, identifies)).toBe(1);

    // The laptop lost the stream to the phone's token: it says so, and its Web Chat is disabled meanwhile.
    await notice(laptop.page).waitFor();
    expect(await notice(laptop.page).innerText()).toMatch(
      /^Open in another window: this conversation is now open in another window or tab, and new messages arrive there\.\s*Continue here$/,
    );
    // Focus waits on the way on, for whoever comes back to this window.
    expect(await laptop.page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`)).toBe('BUTTON Continue here');
    expect(await sendBox(laptop.page).isDisabled()).toBe(true);
    await expectAccessible(laptop.page, 'the "open in another window" notice');
    mkdirSync(artifacts, { recursive: true });
    await laptop.page.screenshot({ path: join(artifacts, 'webchat-continue-here.png') });

    // The phone answers; the laptop, which says it no longer receives, indeed does not.
    await answer(phone.page, 'A public body (school, academy, NHS, council, police)', consent);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await countOf(laptop.page, consent)).toBe(0);

    // "Continue here": the laptop takes the stream back (its own fresh token) and shows what happened meanwhile.
    await laptop.page.getByRole('button', { name: 'Continue here' }).click();
    await shows(laptop.page, consent);
    for (const text of [welcome, identifies, consent]) expect(await countOf(laptop.page, text)).toBe(1);
    expect(await notice(laptop.page).count()).toBe(0);
    await notice(phone.page).waitFor();
    expect(await sendBox(laptop.page).isDisabled()).toBe(false);
    // It receives again: an answer from the laptop gets its reply there.
    await answer(laptop.page, 'Yes, they agreed', 'Who will you share it with?');
  });

  it('never shows the conversation to another person signing in on the same browser', async () => {
    const page = phone.page;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await signIn(page, ben);
    await shows(page, welcome);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const text of [danger, identifies, orgKind, consent]) expect(await countOf(page, text)).toBe(0);
    // Ann's laptop keeps its stream: Ben's page is another conversation.
    expect(await notice(laptop.page).count()).toBe(0);
  });

  it("delivers a coordinator's question sent after a reload to the page the professional has open", async () => {
    const page = laptop.page;
    await sendBox(page).fill('Talk to a coordinator');
    await page.keyboard.press('Enter');
    await shows(page, 'In a sentence or two, what would you like to talk about?');
    await sendBox(page).fill('skip');
    await page.keyboard.press('Enter');
    await shows(page, 'is with the CSE coordinators');

    await page.reload();
    await shows(page, 'is with the CSE coordinators');

    // A coordinator asks through the board's API, long after the page that opened the handoff was reloaded.
    const cookie = await signInLocally(service.url, coordinator);
    const listed = (await (await fetch(`${service.url}/api/handoffs`, { headers: { cookie } })).json()) as { handoffs: Array<{ handoffId: string }> };
    expect(listed.handoffs).toHaveLength(1);
    const { handoffId } = listed.handoffs[0];
    const asked = await fetch(`${service.url}/api/handoffs/${handoffId}/ask`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Is the child safe at home tonight?' }),
    });
    expect(asked.status).toBe(200);
    await shows(page, `A CSE coordinator asks about ${handoffId}: "Is the child safe at home tonight?"`);
  });

  it('ran under the CSP without a violation, and without an error in either page', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
