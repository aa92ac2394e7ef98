import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { freePort, startService, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { waitFor } from './support/waitFor';

/**
 * With an app id, /api/messages takes only Bot Framework tokens, checked by our gate (bot/channelToken.ts)
 * against the channel's published signing keys. Here those keys are published on loopback (BOT_OPENID_METADATA_URL),
 * so the whole check runs for real: a token signed by the published key runs the turn; none, garbage,
 * forged, expired, another audience or another service URL are 401; unreachable keys are 503.
 */
const appId = '00000000-0000-0000-0000-000000000001';
const serviceUrl = 'http://127.0.0.1:9/';
let metadata: Server;
let channelKey: CryptoKey;
let service: InProcessService;

async function publishKeys(jwk: JWK): Promise<Server> {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') return res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys` }));
    if (req.url === '/v1/keys') return res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'channel-key', use: 'sig', endorsements: ['msteams'] }] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const metadataUrl = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
const env = (url: string) => ({
  DATA_DIR: tempDataDir(),
  STATE_ENCRYPTION_KEY: testKey(),
  MicrosoftAppId: appId,
  MicrosoftAppPassword: 'test-only-not-a-secret',
  BOT_OPENID_METADATA_URL: url,
});

beforeAll(async () => {
  const published = await generateKeyPair('RS256');
  channelKey = published.privateKey;
  metadata = await publishKeys(await exportJWK(published.publicKey));
  service = await startInProcess(env(metadataUrl(metadata)));
});
afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => metadata?.close(resolve));
});

/** A channel token as the Bot Framework issues it, signed with `key` (the published one unless forged). */
async function channelToken(claims: Record<string, unknown> = {}, key: CryptoKey = channelKey, kid = 'channel-key'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { exp, ...rest } = claims;
  const jwt = new SignJWT({ serviceurl: serviceUrl, ...rest })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer('https://api.botframework.com')
    .setAudience((claims.aud as string | undefined) ?? appId)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60);
  if (exp !== null) jwt.setExpirationTime((exp as number | undefined) ?? now + 600); // `exp: null`: a token without expiry
  return jwt.sign(key);
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A token signed with a shared secret the attacker made up (a key id the channel never published). */
function hmacForged(): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'forged' });
  const body = b64({ iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, exp: now + 600, nbf: now - 60 });
  return `${head}.${body}.${createHmac('sha256', 'attacker').update(`${head}.${body}`).digest('base64url')}`;
}

async function post(target: { url: string }, authorization?: string, conversation = 'c', activityServiceUrl = serviceUrl) {
  const res = await fetch(`${target.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({
      type: 'message',
      text: 'hello',
      channelId: 'msteams',
      serviceUrl: activityServiceUrl,
      from: { id: 'u' },
      recipient: { id: 'bot' },
      conversation: { id: conversation },
    }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

it('refuses missing, garbage and non-bearer credentials with 401', async () => {
  expect((await post(service)).status).toBe(401);
  expect((await post(service, 'Bearer not-a-token')).status).toBe(401);
  expect((await post(service, 'Basic dXNlcjpwYXNz')).status).toBe(401);
});

it('refuses forged, expired, wrong-audience and wrong-service-URL tokens with 401 and runs no turn', async () => {
  const impostor = (await generateKeyPair('RS256')).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const refused = [
    await channelToken({}, impostor), // the published key id, another key: the signature does not verify
    await channelToken({}, channelKey, 'unpublished-key'),
    await channelToken({ exp: now - 600 }),
    await channelToken({ aud: '00000000-0000-0000-0000-000000000002' }),
    await channelToken({ serviceurl: 'https://attacker.example/' }),
    hmacForged(),
  ];
  for (const token of refused) {
    const answer = await post(service, `Bearer ${token}`, 'c-refused');
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('urn:safeguarding-bot:error:SG-AUTH-CHANNEL-INVALID');
    expect(answer.body).not.toMatch(/signature|jwt|stack/i);
  }
  expect(service.output()).not.toMatch(/"msg":"turn/);
});

it('refuses a token signed with the published key but without exp (pen test L4; botbuilder alone accepted it)', async () => {
  const before = service.output().length;
  const answer = await post(service, `Bearer ${await channelToken({ exp: null })}`, 'c-no-exp');
  expect(answer.status).toBe(401);
  expect(answer.body).toContain('urn:safeguarding-bot:error:SG-AUTH-CHANNEL-INVALID');
  expect(service.output().slice(before)).not.toMatch(/"msg":"turn/);
});

it('binds a replayed token to its serviceurl: the same valid token with another activity serviceUrl is refused (pen test I3)', async () => {
  const token = await channelToken();
  const before = service.output().length;
  for (const other of ['http://127.0.0.1:8/', 'https://attacker.example/']) {
    const answer = await post(service, `Bearer ${token}`, 'c-replayed', other);
    expect(answer.status).toBe(401);
  }
  expect(service.output().slice(before)).not.toMatch(/"msg":"turn/);
});

it('lets a token signed with the published key through to the adapter', async () => {
  const before = service.output().length;
  const answer = await post(service, `Bearer ${await channelToken()}`, 'c-accepted');
  // Past the gate, the Agents SDK asks Entra ID for the bot's own token for replies before the turn runs.
  // With the test's made-up app secret (and no way out of this machine) that fails: 503 with Retry-After,
  // never a 401 (the channel's token was good) and never a 500.
  expect(answer.status).toBe(503);
  expect(answer.retryAfter).toBe('30');
  expect(answer.body).toContain('SG-CHANNEL-REPLY-UNAVAILABLE');
  const log = service.output().slice(before);
  expect(log).toMatch(/"msg":"channel turn not started"/);
  expect(log).not.toMatch(/channel auth: token refused/);
  expect(log).not.toContain('test-only-not-a-secret');
});

it('answers 503 with Retry-After, not a 500, while the signing keys cannot be fetched', async () => {
  const unreachable = await startInProcess(env(`http://127.0.0.1:${await freePort()}/v1/.well-known/openidconfiguration`));
  try {
    const answer = await post(unreachable, `Bearer ${await channelToken()}`, 'c-no-keys');
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('30');
    expect(answer.body).toContain('SG-AUTH-CHANNEL-KEYS-UNAVAILABLE');
    expect(unreachable.output()).not.toMatch(/"msg":"turn/);
  } finally {
    await unreachable.stop();
  }
});

it('keeps the log one JSON line per entry when forged tokens arrive: no PEM dump (pen test I2)', async () => {
  // What a library prints with console, the entry point (server/main.ts) routes to the log: the built service, really started.
  const started = await startService(env(metadataUrl(metadata)));
  try {
    const before = started.output().length;
    const impostor = (await generateKeyPair('RS256')).privateKey;
    for (let i = 0; i < 3; i++) expect((await post(started, `Bearer ${await channelToken({}, impostor)}`, `c-forged-${i}`)).status).toBe(401);
    const refusal =
      /"msg":"channel auth: token refused".*"reason":"ERR_JWS_SIGNATURE_VERIFICATION_FAILED"|"reason":"ERR_JWS_SIGNATURE_VERIFICATION_FAILED".*"msg":"channel auth: token refused"/g;
    // The 401 can reach the test before the child's log line crosses the pipe: wait for the lines, not a moment.
    await waitFor(() => (started.output().slice(before).match(refusal) ?? []).length >= 3, 'three refusal log lines');
    const lines = started
      .output()
      .slice(before)
      .split('\n')
      .filter((line) => line.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => void JSON.parse(line)).not.toThrow();
    expect(started.output()).not.toMatch(/-----(BEGIN|END)/);
    // Each forged token is one refusal line naming the reason (a signature that does not verify), no key material.
    expect(lines.filter((line) => /"msg":"channel auth: token refused"/.test(line) && /"reason":"ERR_JWS_SIGNATURE_VERIFICATION_FAILED"/.test(line))).toHaveLength(3);
  } finally {
    await started.stop();
  }
});
