// `npm run screenshots`: the README's web chat pictures (issue 20), made from the real service. It starts
// the built service (`dist/server/main.js --dev`: local sign-in, the reference MASH) as a child on a free
// port with a throwaway DATA_DIR, signs in as a synthetic professional, files a synthetic referral in the
// web chat as a teacher would (typing), waits for "reached the MASH", and writes phone-sized (390 × 844)
// pictures of the result card and of My referrals to docs/screenshots/. Debian's Chromium, never a
// downloaded browser.
/* global fetch, document -- Node 20's fetch; `document` inside the function Chromium runs */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
const chromiumPath = '/usr/bin/chromium';
const phone = { width: 390, height: 844 };

// The built flows (dist/, made by `npm run screenshots` first): the referral walk the tests type too.
const { loadDefaultPack, referralWalk } = createRequire(import.meta.url)(join(root, 'dist/flows/index.js'));
const walk = referralWalk(loadDefaultPack());

/**
 * A category-3 exploitation referral about a synthetic child (flows/referralWalk.ts). Signed in, the
 * professional is not asked who they are: the walk goes from the organisation to the phone, then sends.
 */
const answers = [...walk.beforeReferrer, ...walk.marf, 'Submit'];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startService(dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist/server/main.js'), '--dev'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the service did not answer /healthz within 30 s');
}

const transcript = '.webchat__basic-transcript__activity';

/** Types an answer at a person's pace (the Direct Line allows 20 messages per 10 s) and waits for the reply. */
async function type(page, text) {
  const before = await page.locator(transcript).count();
  await new Promise((r) => setTimeout(r, 550));
  const box = page.locator('.webchat__send-box-text-box__input, .webchat__send-box-text-box__html-text-area').first();
  await box.fill(text);
  await box.press('Enter');
  await page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length >= n + 2, [transcript, before]);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-screenshots-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'sg-chromium-'));
  const service = await startService(dataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: phone,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('Your name').fill('Test Teacher');
    await page.getByLabel('Your role').fill('Designated safeguarding lead');
    await page.getByLabel('Your organisation').fill('Test School');
    await page.getByLabel('Work email').fill('test.teacher@example.org');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await page.locator('.webchat__suggested-action').first().waitFor();
    for (const answer of answers) await type(page, answer);
    const reached = page.locator('section[aria-label="Referral to the MASH"]').filter({ hasText: 'has reached the MASH' });
    await reached.first().waitFor({ timeout: 60_000 });
    await reached.first().locator('summary').click();
    await reached.first().scrollIntoViewIfNeeded();
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, 'webchat-referral-result.png') });
    await page.goto(`${service.url}/tabs/referrals`);
    await page.locator('#rows tr').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(out, 'my-referrals.png') });
    console.log(`wrote ${join('docs', 'screenshots', 'webchat-referral-result.png')} and ${join('docs', 'screenshots', 'my-referrals.png')}`);
  } finally {
    await context.close();
    service.child.kill();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
