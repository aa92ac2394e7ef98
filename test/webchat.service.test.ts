import { expect } from '@jest/globals';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
});
afterAll(async () => {
  await service?.stop();
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const professional = { name: 'Ann Example', role: 'Designated safeguarding lead', organisation: 'Test Primary School', email: 'ann@example.org' };

async function signIn(who: typeof professional = professional): Promise<string> {
  const res = await fetch(`${service.url}/signin`, form(who));
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0];
}

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  // Neither the chat page nor the sign-in is a Teams tab: nobody frames them (pen test L7).
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('web chat local sign-in', () => {
  it('sends a visitor without a session to the sign-in form, marked as local mode', async () => {
    const home = await fetch(`${service.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/signin');
    const page = await fetch(`${service.url}/signin`);
    expectSecurityHeaders(page);
    const html = await page.text();
    expect(html).toContain('Local sign-in (development mode)');
    for (const field of ['name', 'role', 'organisation', 'email']) expect(html).toMatch(new RegExp(`<label for="signin-${field}">`));
    expect(html).toContain('call 999');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script anywhere
  });

  it('re-shows the form with clear, escaped errors and sets no cookie', async () => {
    const res = await fetch(`${service.url}/signin`, form({ name: '<script>alert(1)</script>', role: '', organisation: 'Org', email: 'not-an-email' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('Enter your role');
    expect(html).toContain('Enter an email address like name@example.org');
    expect(html).toContain('value="&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('aria-invalid="true"');
  });

  it('sets an HttpOnly, SameSite=Strict signed session cookie and shows the chat', async () => {
    const res = await fetch(`${service.url}/signin`, form(professional));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sg_session=[\w-]+\.[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; PUBLIC_BASE_URL=https adds it

    const chat = await fetch(`${service.url}/`, { headers: { cookie: cookie.split(';')[0] } });
    expect(chat.status).toBe(200);
    expectSecurityHeaders(chat);
    const html = await chat.text();
    expect(html).toContain('<script src="/webchat/app.js" defer></script>');
    expect(html).toContain('if a child is in immediate danger call 999');

    const bundle = await fetch(`${service.url}/webchat/app.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses a forged or tampered cookie', async () => {
    const cookie = await signIn();
    const [name, value] = cookie.split('=');
    const [body, sig] = value.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ user: { id: 'someone-else' }, exp: Date.now() + 60_000 })).toString('base64url');
    // The first character carries six bits of the MAC (the last only four, the rest padding), so changing it always changes the MAC.
    const tampered = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    for (const bad of [`${forgedBody}.${sig}`, `${body}.${tampered}`, 'junk']) {
      const res = await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { cookie: `${name}=${bad}` } });
      expect(res.status).toBe(401);
    }
  });

  it('signs out by clearing the cookie', async () => {
    const res = await fetch(`${service.url}/signout`, { method: 'POST', redirect: 'manual', headers: { cookie: await signIn() } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin');
    expect(res.headers.get('set-cookie')).toMatch(/^sg_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe('POST /webchat/token', () => {
  it('is refused without a session (401)', async () => {
    const res = await fetch(`${service.url}/webchat/token`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('is refused from another site (403)', async () => {
    const res = await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { cookie: await signIn(), origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it("issues a Direct Line token bound to the professional's one conversation and to the professional", async () => {
    const cookie = await signIn();
    const issue = async (session = cookie) => {
      const res = await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(200);
      return (await res.json()) as { token: string; conversationId: string; resumed: boolean; expires_in: number; userId: string };
    };
    const a = await issue();
    const b = await issue();
    expect(a).toMatchObject({
      token: expect.any(String),
      conversationId: expect.any(String),
      resumed: false,
      expires_in: 1800,
      userId: expect.stringMatching(/^local-[0-9a-f]{24}$/),
    });
    // Continuity (issue 20 item 1): every page of the same professional gets their one conversation, each with its own token.
    expect(b.conversationId).toBe(a.conversationId);
    expect(b.token).not.toBe(a.token);
    expect(b.userId).toBe(a.userId); // the same professional keeps the same pseudonymous id

    const dl = `${service.url}/v3/directline`;
    const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const started = await fetch(`${dl}/conversations`, { method: 'POST', headers: auth(a.token), body: '{}' });
    expect(started.status).toBe(201);
    expect(((await started.json()) as { conversationId: string }).conversationId).toBe(a.conversationId);
    // Signing in again (another device) resumes it.
    expect(await issue(await signIn())).toMatchObject({ conversationId: a.conversationId, resumed: true });

    const own = await fetch(`${dl}/conversations/${a.conversationId}/activities`, { headers: auth(a.token) });
    expect(own.status).toBe(200);
    // Another professional has a conversation of their own, which Ann's token cannot read.
    const bens = await issue(await signIn({ ...professional, name: 'Ben Example', email: 'ben@example.org' }));
    expect(bens.conversationId).not.toBe(a.conversationId);
    const other = await fetch(`${dl}/conversations/${bens.conversationId}/activities`, { headers: auth(a.token) });
    expect(other.status).toBe(403);
    const none = await fetch(`${dl}/conversations/${a.conversationId}/activities`);
    expect(none.status).toBe(401);
  });

  it("keeps the professional's details out of the service log", () => {
    const log = service.output();
    expect(log).toContain('web chat sign-in');
    for (const personal of [professional.name, professional.email, professional.organisation]) expect(log).not.toContain(personal);
  });
});
