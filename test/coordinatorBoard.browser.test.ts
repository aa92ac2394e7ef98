import { readFileSync } from 'node:fs';
import type { Request } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { signInLocally, testTeacher } from './support/webSignIn';

/** The board (issue 20 item 8) in Chromium against the service built in process: live, readable, and kind to the wrong person. */
const axePath = require.resolve('axe-core/axe.min.js');
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };
const coordinator = { ...testTeacher, name: 'Test Coordinator', email: 'test.coordinator@example.org', localRoles: ['coordinator' as const] };

let service: InProcessService;
let browser: Browser;
beforeAll(async () => {
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
  browser = await launchChromium();
  const cookie = await signInLocally(service.url, coordinator);
  const [name, value] = cookie.split('=');
  await browser.context.addCookies([{ name, value, url: service.url }]);
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

let opened = 0;
/** A professional's "talk to a coordinator", as the flow's effect opens it (what the chat does after a turn). */
async function openHandoff(referrer: { name?: string; role?: string; organisation?: string } = {}): Promise<string> {
  const handoffId = `SGH-TEST${String(++opened).padStart(8, '0')}`;
  await service.services.coordinatorTriage.openFromEffect({
    effect: {
      kind: 'handoff.open',
      id: handoffId,
      payload: {
        handoffId,
        summary: 'No screening or referral in this conversation yet.',
        urgency: 'same-day',
        kind: 'talk-to-coordinator',
        ...(Object.keys(referrer).length ? { referrer } : {}),
      },
    },
    actor: { channelId: 'webchat', userId: `local-${opened}` },
    reference: { conversation: { id: `board-conv-${opened}` }, channelId: 'webchat' },
  });
  return handoffId;
}

describe('the coordinator board in Chromium', () => {
  it('shows whom to call back (name, role, organisation, phone "not given") and the UK clock, and passes axe', async () => {
    const id = await openHandoff({ name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School' });
    const { page } = browser;
    await page.goto(`${service.url}/coordinator`);
    const article = page.locator('article', { has: page.locator(`#h-${id}`) });
    const facts = await article.locator('dl').innerText();
    expect(facts).toMatch(/Referrer\s+Test Teacher\s+Role\s+Designated safeguarding lead\s+Organisation\s+Test School\s+Phone\s+not given/);
    // "Tue 3 Dec, 14:05 (this minute)": the weekday, the UK time, how long ago; never the ISO form or UTC.
    expect(facts).toMatch(/Opened\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3}, \d{2}:\d{2} \((this minute|1 minute ago)\)/);
    expect(facts).not.toMatch(/UTC|\d{4}-\d{2}-\d{2}/);
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('shows a new handoff by itself, without the page polling, and never throws away a question being typed', async () => {
    const { page } = browser;
    await page.goto(`${service.url}/coordinator`);
    const fetched: string[] = [];
    const onRequest = (request: Request) => void fetched.push(new URL(request.url()).pathname);
    page.on('request', onRequest);
    // Idle: the page asks nothing while nothing changes (the server holds one event stream open).
    await page.waitForTimeout(4500);
    expect(fetched.filter((path) => path !== '/coordinator/events')).toEqual([]);

    const first = await openHandoff({ name: 'Test Nurse' });
    await page.locator(`#h-${first}`).waitFor({ timeout: 10_000 });
    expect(fetched.filter((path) => path === '/coordinator')).toHaveLength(1); // one fetch, because the server said it changed

    // A coordinator mid-question: the board says it changed, keeps the words, and updates once the box is empty.
    const box = page.locator('textarea').first();
    await box.fill('Can you phone me back about the car?');
    const second = await openHandoff({ name: 'Test Youth Worker' });
    await page.locator('#board-live', { hasText: 'The board has changed' }).waitFor({ timeout: 10_000 });
    expect(await box.inputValue()).toBe('Can you phone me back about the car?');
    expect(await page.locator(`#h-${second}`).count()).toBe(0);
    await box.fill('');
    await page.locator(`#h-${second}`).waitFor({ timeout: 10_000 });
    page.off('request', onRequest);
  });
});

describe('someone without the coordinator role', () => {
  it('gets a page saying whom the board is for and whom to ask (status 403), not JSON', async () => {
    const cookie = await signInLocally(service.url, testTeacher);
    const page = await fetch(`${service.url}/coordinator`, { headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const text = await page.text();
    expect(text).toContain('You are signed in as Test Teacher, but this page is for CSE coordinators only.');
    expect(text).toMatch(/ask the safeguarding children partnership&#39;s business unit|ask the safeguarding children partnership's business unit/);
    // The API keeps its problem+json.
    const api = await fetch(`${service.url}/api/handoffs`, { headers: { cookie } });
    expect(api.status).toBe(403);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    // The event stream is for coordinators too.
    expect((await fetch(`${service.url}/coordinator/events`, { headers: { cookie } })).status).toBe(403);
  });
});
