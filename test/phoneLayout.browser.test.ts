import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

/**
 * Issue 20 item 7: every page at phone size (390 × 844, and 320 × 640 for WCAG 2.2 reflow): no sideways
 * scrolling, the header on one line, the chat's message box on screen, and the accessibility statement
 * linked from each page. Axe has no serious or critical finding at 390.
 */
const axePath = require.resolve('axe-core/axe.min.js');
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };
const coordinator = { ...testTeacher, name: 'Test Coordinator', email: 'test.coordinator@example.org', localRoles: ['coordinator' as const, 'partnership-lead' as const] };
const sizes = [
  { width: 390, height: 844, pages: ['sign-in', 'my referrals', 'board', 'insights', 'accessibility statement'] },
  { width: 320, height: 640, pages: ['sign-in', 'my referrals', 'board', 'insights', 'accessibility statement'] },
];
const paths: Array<[string, string]> = [
  ['/signin?returnTo=%2F', 'sign-in'],
  ['/tabs/referrals', 'my referrals'],
  ['/coordinator', 'board'],
  ['/insights', 'insights'],
  ['/accessibility', 'accessibility statement'],
];

let service: InProcessService;
let browser: Browser;
beforeAll(async () => {
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  const cookie = await signInLocally(service.url, coordinator);
  // A referral in "My referrals" (a long reference and status, as the table would hold) and a handoff on the board.
  const { userId } = await webChatToken(service.url, cookie);
  await service.services.referrals.recordPhoned({
    effect: { kind: 'referral.phone', id: 'SG-0123456789AB', payload: { clientReference: 'SG-0123456789AB', urgency: 'same-day', category: 3 } },
    actor: { channelId: 'webchat', userId },
  });
  await service.services.coordinatorTriage.openFromEffect({
    effect: {
      kind: 'handoff.open',
      id: 'SGH-0123456789AB',
      payload: {
        handoffId: 'SGH-0123456789AB',
        summary: 'Screening SCR-0123456789AB: category 3, pathway mash-referral, urgency same-day.',
        urgency: 'same-day',
        referrer: { name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School' },
      },
    },
    actor: { channelId: 'webchat', userId },
  });
  browser = await launchChromium();
  const [name, value] = cookie.split('=');
  await browser.context.addCookies([{ name, value, url: service.url }]);
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function expectFits(page: Page, where: string): Promise<void> {
  // Run in the page as a string: the test's own types have no DOM.
  const { scrollWidth, innerWidth, wider } = await page.evaluate<{ scrollWidth: number; innerWidth: number; wider: string[] }>(`({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wider: [...document.querySelectorAll('body *')]
      // Inside a box that scrolls sideways on its own (a wide data table) is fine: the page does not scroll.
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('[class*="live-region"]') && !e.parentElement?.closest('.table-scroll'))
      .slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '')),
  })`);
  expect({ where, scrollWidth, wider }).toEqual({ where, scrollWidth: innerWidth, wider: [] });
  await expect(page.locator('footer a[href="/accessibility"]').count()).resolves.toBe(1);
}

async function expectOneLineHeader(page: Page): Promise<void> {
  const h1 = page.locator('header h1');
  const { height, lineHeight } = await h1.page().evaluate<{ height: number; lineHeight: number }>(`(() => {
    const el = document.querySelector('header h1');
    const style = getComputedStyle(el);
    return { height: el.getBoundingClientRect().height, lineHeight: parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3 };
  })()`);
  expect(height).toBeLessThan(lineHeight * 1.6);
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  expect(
    result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${where}: ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`),
  ).toEqual([]);
}

describe.each(sizes)('at $width × $height', (size) => {
  beforeAll(async () => browser.page.setViewportSize({ width: size.width, height: size.height }));

  it.each(paths.filter(([, where]) => size.pages.includes(where)))('%s (%s) fits the screen', async (path, where) => {
    const { page } = browser;
    await page.goto(`${service.url}${path}`);
    if (path === '/tabs/referrals') await page.locator('#rows tr').first().waitFor({ timeout: 10_000 });
    // The charts are drawn by the page's script: measure after they are, as a user would see them.
    if (path === '/insights') await page.locator('body[data-charts-drawn]').waitFor({ state: 'attached', timeout: 10_000 });
    await expectFits(page, where);
    if (size.width === 390) await expectAccessible(page, where);
  });
});

describe('at desktop size (1280 × 800), issue 20 item 9', () => {
  beforeAll(async () => browser.page.setViewportSize({ width: 1280, height: 800 }));

  it.each([...paths, ['/', 'chat'] as [string, string]])('%s (%s) passes axe, with the 999 banner on screen inside a landmark', async (path, where) => {
    const { page } = browser;
    await page.goto(`${service.url}${path}`);
    if (path === '/tabs/referrals') await page.locator('#rows tr').first().waitFor({ timeout: 10_000 });
    if (path === '/insights') await page.locator('body[data-charts-drawn]').waitFor({ state: 'attached', timeout: 10_000 });
    await expectAccessible(page, where);
    // A screen reader that jumps by landmarks must not skip "not for emergencies: call 999".
    const banners = await page.evaluate<Array<{ inLandmark: boolean; top: number }>>(`[...document.querySelectorAll('.emergency')].map((e) => ({
      inLandmark: !!e.closest('header, main, aside, nav, footer, section[aria-label], section[aria-labelledby], [role="banner"], [role="main"], [role="complementary"], [role="region"]'),
      top: e.getBoundingClientRect().top,
    }))`);
    for (const banner of banners) expect(banner).toEqual({ inLandmark: true, top: expect.any(Number) as number });
    for (const banner of banners) expect(banner.top).toBeLessThan(300);
  });
});

describe.each([
  { width: 390, height: 844 },
  { width: 320, height: 640 },
])('the chat at $width × $height', ({ width, height }) => {
  beforeAll(async () => browser.page.setViewportSize({ width, height }));

  it('header on one line, the message box and the conversation on screen, nothing wider than the screen', async () => {
    const { page } = browser;
    await page.goto(`${service.url}/`);
    await page.locator('.webchat__basic-transcript__activity').first().waitFor({ timeout: 15_000 });
    const sendBox = page.locator('.webchat__send-box-text-box__html-text-area, .webchat__send-box-text-box__input').first();
    await sendBox.waitFor({ timeout: 15_000 });
    // The welcome's choices have arrived: they are what squeezed the conversation off a small screen.
    await page.locator('.webchat__suggested-action').first().waitFor({ timeout: 15_000 });
    const box = await sendBox.boundingBox();
    expect(box).not.toBeNull();
    expect({ bottom: Math.round(box!.y + box!.height) <= height ? 'on screen' : `${Math.round(box!.y + box!.height)} > ${height}` }).toEqual({ bottom: 'on screen' });
    // Several lines of the conversation stay in sight above the choices (at least five lines of text).
    const transcript = await page.locator('.webchat__basic-transcript').first().boundingBox();
    expect(Math.round(transcript!.height)).toBeGreaterThanOrEqual(100);
    await expectOneLineHeader(page);
    await expectFits(page, 'chat');
    await expectAccessible(page, 'chat');
  });
});

describe('the accessibility statement', () => {
  it('is open to anyone and says what the service aims for, how to report a problem and who enforces the regulations', async () => {
    const res = await fetch(`${service.url}/accessibility`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('WCAG');
    expect(text).toContain('2.2');
    expect(text).toMatch(/Equality and Human Rights Commission/);
    expect(text).toMatch(/call 999/);
  });
});
