import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { launchChromium, type Browser } from './support/chromium';
import { isQuestion } from './support/directLineClient';
import { fileWebChatReferralSeen } from './support/fileWebChatReferral';
import { jsonAs } from './support/json';
import { startMashStub, type MashStub } from './support/mashStub';
import { until } from './support/referralAnswers';
import { startOidcProvider, type OidcProvider } from './support/oidcProvider';
import { freePort, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

jest.setTimeout(120_000);

const mashToken = 'reference-test-token-0123456789';

let provider: OidcProvider;
let stub: MashStub;
let service: ServiceProcess;
let browser: Browser;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider(`${base}/signin/callback`);
  stub = await startMashStub({ token: mashToken });
  service = await startInProcess(
    {
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      WEBCHAT_AUTH: 'oidc',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URL: `${base}/signin/callback`,
      OIDC_SCOPES: 'openid profile email phone',
      COORDINATOR_IDS: 'cse-coordinators',
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: mashToken,
    },
    { port },
  );
});
afterEach(async () => {
  await browser?.close();
});
afterAll(async () => {
  await service?.stop();
  await provider?.stop();
  await stub?.close();
});

/** Goes to the chat, is sent to the provider, signs in there as `login` and consents. */
async function signInAtProvider(page: Page, login: string): Promise<string[]> {
  const authorisationRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${provider.issuer}/auth`)) authorisationRequests.push(request.url());
  });
  await page.goto(`${base}/`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  await page.click('button[type="submit"]'); // the provider's consent page: Continue
  await page.waitForURL(`${base}/`);
  return authorisationRequests;
}

const sessionCookie = z.looseObject({ user: z.looseObject({ roles: z.array(z.string()).optional(), phone: z.string().optional() }) });

/** The signed session cookie's professional (its body is base64url JSON; the signature is checked by the server). */
async function sessionUser() {
  const cookie = (await browser.context.cookies(base)).find((c) => c.name === 'sg_session');
  return cookie ? jsonAs(Buffer.from(cookie.value.split('.')[0], 'base64url').toString(), sessionCookie, 'the session cookie').user : undefined;
}

/** The roles in the signed session cookie. */
async function sessionRoles(): Promise<string[] | undefined> {
  return (await sessionUser())?.roles;
}

describe('web chat sign-in with OpenID Connect (WEBCHAT_AUTH=oidc) against a real provider', () => {
  it('signs in with code + PKCE (S256) and the chat token carries the professional', async () => {
    browser = await launchChromium();
    const requests = await signInAtProvider(browser.page, 'test-teacher');
    const authorise = new URL(requests[0]);
    expect(authorise.searchParams.get('response_type')).toBe('code');
    expect(authorise.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorise.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorise.searchParams.get('state')).toBeTruthy();
    expect(authorise.searchParams.get('nonce')).toBeTruthy();
    expect(await browser.page.locator('#webchat').count()).toBe(1);

    const token = await browser.page.evaluate(async () => (await fetch('/webchat/token', { method: 'POST' })).json());
    expect(token).toMatchObject({ userId: 'oidc-test-teacher', userName: 'Test Teacher', token: expect.any(String) });
    expect(await sessionRoles()).toBeUndefined();
  });

  it('takes the phone_number claim (scope phone) into the session; the referral offers "Use this number" and files that phone', async () => {
    browser = await launchChromium();
    await signInAtProvider(browser.page, 'test-teacher');
    expect((await sessionUser())?.phone).toBe('01632 960123');

    const { token } = await browser.page.evaluate(async () => (await fetch('/webchat/token', { method: 'POST' })).json() as Promise<{ token: string }>);
    // Nothing typed at the phone question: the number filed can only be the sign-in's.
    const { clientReference, received } = await fileWebChatReferralSeen(base, token, ['Use this number', 'skip']);
    const asked = received.find(isQuestion('ref-referrer-phone'));
    expect(asked?.text).toContain('The number from your sign-in is 01632 960123');
    expect(asked?.value?.choices).toContainEqual(expect.objectContaining({ value: 'keep', title: 'Use this number' }));
    await until(() => stub.storedBody(clientReference), 'the MASH stub to receive the referral');
    expect(stub.storedBody(clientReference)).toMatchObject({ channel: 'webchat', referrer: { name: 'Test Teacher', phone: '01632 960123' } });
  });

  it('grants the coordinator role through a configured group', async () => {
    browser = await launchChromium();
    await signInAtProvider(browser.page, 'test-coordinator');
    expect(await sessionRoles()).toEqual(['coordinator']);
  });

  it('refuses a callback whose state does not match, with a page that offers to try again', async () => {
    browser = await launchChromium();
    await browser.page.goto(`${base}/signin`);
    await browser.page.waitForSelector('input[name="login"]'); // the attempt is started: its cookie is set
    const response = await browser.page.goto(`${base}/signin/callback?code=forged-code&state=forged-state`);
    expect(response?.status()).toBe(400);
    expect(await browser.page.locator('h2').textContent()).toBe('Sign-in could not be checked');
    expect(await browser.page.locator('a[href="/signin"]').count()).toBe(1);
    expect(await sessionRoles()).toBeUndefined();
  });

  it('refuses a callback with no sign-in started, and the local form does not exist', async () => {
    const callback = await fetch(`${base}/signin/callback?code=x&state=y`, { redirect: 'manual' });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('Sign-in expired');
    const local = await fetch(`${base}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=A&role=B&organisation=C&email=a%40example.org',
    });
    expect(local.status).toBe(404);
    expect(await fetch(`${base}/webchat/token`, { method: 'POST' }).then((r) => r.status)).toBe(401);
  });
});

describe('OIDC sign-in when the provider is down', () => {
  it('shows "sign-in is unavailable" and keeps serving', async () => {
    const port = await freePort();
    const closedPort = await freePort();
    const down = await startInProcess(
      {
        DATA_DIR: tempDataDir(),
        STATE_ENCRYPTION_KEY: testKey(),
        WEBCHAT_AUTH: 'oidc',
        OIDC_ISSUER: `http://127.0.0.1:${closedPort}`,
        OIDC_CLIENT_ID: 'client',
        OIDC_CLIENT_SECRET: 'secret',
        OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/signin/callback`,
      },
      { port },
    );
    try {
      const res = await fetch(`${down.url}/signin`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/Sign-in is unavailable.*call 999/s);
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
      expect(down.output()).not.toMatch(/"level":(50|60)/);
    } finally {
      await down.stop();
    }
  });
});
