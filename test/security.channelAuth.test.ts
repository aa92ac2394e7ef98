import { createHmac } from 'node:crypto';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

/** With an app id, /api/messages takes only Bot Framework tokens: none, garbage, forged or expired are 401. */
const appId = '00000000-0000-0000-0000-000000000001';
let service: ServiceProcess;
beforeAll(async () => {
  service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MicrosoftAppId: appId, MicrosoftAppPassword: 'test-only-not-a-secret' });
});
afterAll(async () => {
  await service?.stop();
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A token that looks like the connector's but is signed with a key the attacker made up. */
function forged(claims: Record<string, unknown>): string {
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'forged' });
  const body = b64({ iss: 'https://api.botframework.com', aud: appId, serviceurl: 'http://127.0.0.1:9/', ...claims });
  return `${head}.${body}.${createHmac('sha256', 'attacker').update(`${head}.${body}`).digest('base64url')}`;
}

async function post(authorization?: string): Promise<number> {
  const res = await fetch(`${service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ type: 'message', text: 'hello', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: 'u' }, recipient: { id: 'bot' }, conversation: { id: 'c' } }),
  });
  return res.status;
}

it('refuses missing, garbage and non-bearer credentials with 401', async () => {
  expect(await post()).toBe(401);
  expect(await post('Bearer not-a-token')).toBe(401);
  expect(await post('Basic dXNlcjpwYXNz')).toBe(401);
});

it('never runs a turn for a forged or expired token', async () => {
  // botbuilder checks the signature against the Bot Framework's published keys: 401 when it can fetch
  // them; on this offline test machine the fetch fails and the request fails closed (5xx), never 2xx.
  const now = Math.floor(Date.now() / 1000);
  for (const token of [forged({ exp: now + 600, nbf: now - 60 }), forged({ exp: now - 600, nbf: now - 1200 })]) {
    expect(await post(`Bearer ${token}`)).toBeGreaterThanOrEqual(400);
  }
  // A turn that ran would log "turn" or "turn failed" (its replies cannot reach 127.0.0.1:9).
  expect(service.output()).not.toMatch(/"msg":"turn/);
});
