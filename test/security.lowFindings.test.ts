import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

/** Pen test of 2026-12-04, Low findings and the open M4/M6 items, seen from outside the running service. */
let service: ServiceProcess;
let limited: ServiceProcess;
let connector: FakeConnector;

beforeAll(async () => {
  connector = await startFakeConnector();
  [service, limited] = await Promise.all([
    startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() }),
    startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RATE_LIMIT_SIGNIN_PER_MINUTE: '3' }),
  ]);
});
afterAll(async () => {
  await Promise.all([service?.stop(), limited?.stop()]);
  await connector?.close();
});

const activity = (serviceUrl: string, conversation: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'message', text: 'help', channelId: 'emulator', serviceUrl, conversation: { id: conversation }, from: { id: 'u1' }, recipient: { id: 'bot' } }),
});

describe('local mode replies only to a loopback serviceUrl (pen test M4)', () => {
  it('refuses an activity naming another host with 403 before any turn; loopback (the Emulator) still works', async () => {
    for (const url of [
      'http://10.0.0.5:8080/internal-admin?',
      'http://169.254.169.254/latest/',
      'http://example.org/',
      'http://127.0.0.1.example.org/',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const res = await fetch(`${service.url}/api/messages`, activity(url, 'ssrf-1'));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('SG-AUTH-LOCAL-SERVICE-URL');
    }
    expect((await fetch(`${service.url}/api/messages`, activity(connector.url, 'local-ok'))).status).toBe(200);
    expect(connector.forConversation('local-ok').length).toBeGreaterThan(0);
  });
});

describe('personal-data JSON is never cached (pen test L5)', () => {
  it('sends Cache-Control: no-store on the Direct Line transcript, the handoff queue and my referrals', async () => {
    const cookie = await signInLocally(service.url, { ...testTeacher, localRoles: ['coordinator'] });
    const { token, conversationId } = await webChatToken(service.url, cookie);
    expect((await fetch(`${service.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBeLessThan(300);
    const responses = await Promise.all([
      fetch(`${service.url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${service.url}/api/handoffs`, { headers: { cookie } }),
      fetch(`${service.url}/api/my-referrals`, { headers: { cookie } }),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
    }
  });
});

describe('sign-in limits count attempts, not page views (pen test M6)', () => {
  it('lets anyone browse /signin; POST /signin and /webchat/token each have their own allowance', async () => {
    for (let i = 0; i < 8; i++) expect((await fetch(`${limited.url}/signin`)).status).toBe(200);
    const cookie = await signInLocally(limited.url);
    // Token requests do not spend the sign-in allowance, nor the reverse.
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push((await fetch(`${limited.url}/webchat/token`, { method: 'POST', headers: { cookie } })).status);
    expect(tokens).toEqual([200, 200, 200, 429]);
    const attempts = [];
    for (let i = 0; i < 3; i++)
      attempts.push(
        (await fetch(`${limited.url}/signin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=' })).status,
      );
    expect(attempts).toEqual([400, 400, 429]);
    expect((await fetch(`${limited.url}/signin`)).status).toBe(200);
  });
});
