import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { botClient, questionIn } from './support/botClient';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally } from './support/webSignIn';

/** Web hardening and abuse limits, seen from outside the running service as a browser or script would. */
let service: ServiceProcess;
let httpsService: ServiceProcess;
let connector: FakeConnector;

beforeAll(async () => {
  connector = await startFakeConnector();
  [service, httpsService] = await Promise.all([
    startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RATE_LIMIT_CONVERSATION_PER_MINUTE: '5', RATE_LIMIT_SIGNIN_PER_MINUTE: '8' }),
    startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), PUBLIC_BASE_URL: 'https://bot.example.org' }),
  ]);
});
afterAll(async () => {
  await Promise.all([service?.stop(), httpsService?.stop()]);
  await connector?.close();
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});
const teacher = { name: 'Test Teacher', role: 'Teacher', organisation: 'Test School', email: 'test.teacher@example.org' };

describe('security headers', () => {
  it('gives pages a strict CSP with no inline script; the sign-in page framed by no one (pen test L7)', async () => {
    const page = await fetch(`${service.url}/signin`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('sends nosniff and no referrer on JSON APIs and errors too, and no HSTS over plain http', async () => {
    for (const path of ['/healthz', '/no-such-route']) {
      const res = await fetch(`${service.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      // Teams sign-in popups keep their opener; nothing else shares a browsing context.
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    }
  });

  it('sends HSTS when the service is published over https', async () => {
    const res = await fetch(`${httpsService.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
  });
});

describe('cookies, CSRF and CORS', () => {
  it('sets the session cookie HttpOnly and SameSite=Strict, and Secure (with a __Host- name) over https', async () => {
    const plain = await fetch(`${service.url}/signin`, form(teacher));
    expect(plain.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(plain.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    const secure = await fetch(`${httpsService.url}/signin`, form(teacher));
    expect(secure.headers.get('set-cookie')).toMatch(/^__Host-[^;]+;.*Secure/);
    expect(secure.headers.get('set-cookie')).toMatch(/HttpOnly/);
  });

  it("refuses every form post from another site with 403 problem+json, a coordinator's board included", async () => {
    // A coordinator's session: the board's forms act on a child's handoff, so they are what a forged post would aim at.
    const cookie = await signInLocally(httpsService.url, { ...teacher, localRoles: ['coordinator'] });
    const foreign = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', cookie };
    const posts: Array<[string, Record<string, string>]> = [
      ['/signin', teacher],
      ['/signout', {}],
      ['/webchat/token', {}],
      ['/mash/login', { token: 'x' }],
      ['/mash/logout', {}],
      ['/mash/events', {}],
      ['/mash/events/resend', {}],
      ['/coordinator/handoffs/SGH-000000000001/claim', {}],
      ['/coordinator/handoffs/SGH-000000000001/ask', { question: 'Is she safe?' }],
      ['/coordinator/handoffs/SGH-000000000001/close', {}],
      ['/api/handoffs/SGH-000000000001/claim', {}],
    ];
    for (const [path, fields] of posts) {
      const res = await fetch(`${httpsService.url}${path}`, form(fields, foreign));
      expect({ path, status: res.status, code: ((await res.json()) as { code?: string }).code }).toEqual({ path, status: 403, code: 'SG-AUTH-CROSS-ORIGIN' });
    }
  });

  it('never allows another origin: no Access-Control-Allow-* on answers or preflights', async () => {
    const origin = { origin: 'https://evil.example' };
    const answers = [
      await fetch(`${service.url}/healthz`, { headers: origin }),
      await fetch(`${service.url}/v3/directline/conversations`, { method: 'POST', headers: origin }),
      await fetch(`${service.url}/api/messages`, {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
      await fetch(`${service.url}/v3/directline/tokens/generate`, {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      }),
    ];
    for (const res of answers) {
      const allow = [...res.headers.keys()].filter((name) => name.startsWith('access-control-allow'));
      expect(allow).toEqual([]);
    }
  });
});

describe('abuse limits', () => {
  it('answers a too-long message with "please shorten" and leaves the question waiting', async () => {
    const bot = botClient(() => service.url, connector, `long-${Date.now()}`);
    const joined = await bot.join();
    const waiting = questionIn(joined.replies);
    const long = await bot.say('x'.repeat(4001));
    expect(long.replies.map((r) => r.text)).toEqual([expect.stringMatching(/too long.*shorten it/)]);
    const answered = await bot.say('1'); // the menu question still takes its first choice
    expect(questionIn(answered.replies).id).not.toBe(waiting.id);
  });

  it('limits activities per conversation per minute with 429 and Retry-After', async () => {
    const bot = botClient(() => service.url, connector, `flood-${Date.now()}`);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'typing', channelId: 'emulator', serviceUrl: connector.url, conversation: { id: `flood-one-${process.pid}` }, from: { id: 'u' } }),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5).every((s) => s < 300)).toBe(true);
    expect(statuses[5]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another conversation is not affected.
    expect((await bot.join()).status).toBeLessThan(300);
  });

  it('limits sign-in attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(`${service.url}/signin`, form({ name: '' }))).status);
    // Earlier tests used some of this address's 8 a minute: the first attempt here still gets through, the 10th does not.
    expect(statuses[0]).toBe(400);
    expect(statuses[9]).toBe(429);
  });

  it('refuses bodies over the limit with 413 problem+json', async () => {
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(300_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
