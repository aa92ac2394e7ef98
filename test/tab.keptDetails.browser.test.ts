import { readFileSync } from 'node:fs';
import { launchChromium, type Browser } from './support/chromium';
import { fileWebChatReferral } from './support/fileWebChatReferral';
import { startMashStub, type MashStub } from './support/mashStub';
import { marfDetailedAnswers, until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { signInLocally, webChatToken } from './support/webSignIn';

/*
 * Issue 21 item 1: a referral filed to a version 1 MASH keeps its MARF answers back; the "My referrals"
 * page (web chat and Teams tab alike) links the referrer's copy on that row, and the link works on a phone.
 */
jest.setTimeout(150_000);

const mashToken = 'reference-test-token-0123456789';
const phone = { width: 375, height: 740 };

let stub: MashStub;
let service: InProcessService;
let browser: Browser;
let kept: string;

type Rows = { referrals: Array<{ clientReference: string; status: string; detailsKept?: boolean }> };

beforeAll(async () => {
  stub = await startMashStub({ token: mashToken });
  // With an intake URL and no MASH_SCHEMA_VERSION the MASH takes version 1: the MARF answers stay here.
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: mashToken });
  const cookie = await signInLocally(service.url);
  kept = await fileWebChatReferral(service.url, (await webChatToken(service.url, cookie)).token, marfDetailedAnswers);
  await until(() => stub.storedBody(kept), 'the MASH stub to receive the referral');
  const delivered = async () => {
    const rows = (await (await fetch(`${service.url}/api/my-referrals`, { headers: { cookie } })).json()) as Rows;
    return rows.referrals[0]?.status === 'delivered' ? rows : undefined;
  };
  let rows: Rows | undefined;
  for (let i = 0; i < 150 && !rows; i++) {
    rows = await delivered();
    if (!rows) await new Promise((r) => setTimeout(r, 200));
  }
  expect(rows?.referrals).toEqual([expect.objectContaining({ clientReference: kept, detailsKept: true })]);
  browser = await launchChromium();
  const [name, value] = cookie.split('=');
  await browser.context.addCookies([{ name, value, url: service.url }]);
  await browser.page.setViewportSize(phone);
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await stub?.close();
});

describe('"My referrals": the details kept back from a version 1 MASH', () => {
  it('links the download on that row, at phone size without sideways scrolling, and the file holds the kept answers', async () => {
    const { page } = browser;
    await page.goto(`${service.url}/tabs/referrals`);
    const table = page.getByRole('table', { name: /Referrals you filed/ });
    await table.waitFor();
    const keptRow = table.getByRole('row', { name: new RegExp(kept) });
    const link = keptRow.getByRole('link', { name: 'Download the details the MASH could not take yet' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/api/my-referrals/${kept}/kept.txt`);
    // One link, on this row (the version 1 body reached the MASH without the sections).
    expect(await table.getByRole('link').count()).toBe(1);
    expect(JSON.stringify(stub.storedBody(kept))).not.toContain('Zebedee-Test');

    // Phone-sized: the row is a card, the link a full line inside it, and nothing is wider than the screen.
    const width = await page.evaluate<{ scroll: number; inner: number }>('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })');
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    const box = await link.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= phone.width).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`${kept}-details.txt`);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).toContain(kept);
    expect(text).toContain('Zebedee-Test');
    expect(text).toContain('Testmum Carerson');
  });
});
