import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { freePort, runService, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

jest.setTimeout(60_000);

// Synthetic tenant, app and professional: nothing here is a real Entra id.
const appId = '11111111-2222-3333-4444-555555555555';
const tenant = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const otherTenant = 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee';
const oid = '99999999-8888-7777-6666-555555555555';
const resource = `api://bot.example.org/botid-${appId}`;
const kid = 'test-key-1';

let keys: { privateKey: KeyLike; publicKey: KeyLike };
let forger: { privateKey: KeyLike };
let jwksServer: Server;
let service: ServiceProcess;

/** A loopback JWKS endpoint standing in for login.microsoftonline.com's discovery keys. */
async function serveJwks(publicKey: KeyLike): Promise<Server> {
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

interface TokenOptions { aud?: string; iss?: string; tid?: string; exp?: number; key?: KeyLike }
function teamsToken({ aud = resource, tid = tenant, iss = `https://login.microsoftonline.com/${tid}/v2.0`, exp, key }: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid, oid, name: 'Test Teacher', preferred_username: 'test.teacher@example.org', ver: '2.0' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject('pairwise-subject-1')
    .setIssuedAt(now - 60)
    .setExpirationTime(exp ?? now + 3600)
    .sign(key ?? keys.privateKey);
}

const exchange = (token: string) => fetch(`${service.url}/tabs/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  forger = await generateKeyPair('RS256');
  jwksServer = await serveJwks(keys.publicKey);
  service = await startService({
    DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(),
    MicrosoftAppId: appId, PUBLIC_BASE_URL: 'http://bot.example.org',
    TEAMS_SSO_TENANT_IDS: tenant, TEAMS_SSO_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/discovery/v2.0/keys`,
    COORDINATOR_IDS: oid,
  });
});
afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

describe('Teams SSO for the tab (POST /tabs/sso)', () => {
  it('opens the web session for a valid token; the list API then answers for that professional', async () => {
    const res = await exchange(await teamsToken());
    expect(res.status).toBe(200);
    // Roles come from configuration (COORDINATOR_IDS names this object id), not from the token.
    expect(await res.json()).toEqual({ user: { name: 'Test Teacher', roles: ['coordinator'] } });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/=/);
    const list = await fetch(`${service.url}/api/my-referrals`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ user: { name: 'Test Teacher' }, notifications: [], referrals: [] });
  });

  it('accepts the token as a bearer on the list API (a framed tab does not get a SameSite=Strict cookie)', async () => {
    const list = await fetch(`${service.url}/api/my-referrals`, { headers: { authorization: `Bearer ${await teamsToken()}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { user: { name: string } }).user.name).toBe('Test Teacher');
  });

  it('accepts a v1 token (sts.windows.net issuer) whose audience is the app id', async () => {
    const res = await exchange(await teamsToken({ aud: appId, iss: `https://sts.windows.net/${tenant}/` }));
    expect(res.status).toBe(200);
  });

  const refused: Array<[string, string, () => Promise<string>]> = [
    ['a forged signature', 'signature', () => teamsToken({ key: forger.privateKey })],
    ['the wrong audience', 'audience', () => teamsToken({ aud: `api://evil.example.org/botid-${appId}` })],
    ['the wrong issuer', 'issuer', () => teamsToken({ iss: `https://login.microsoftonline.com/${otherTenant}/v2.0` })],
    ['an expired token', 'expired', () => teamsToken({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a tenant not allowed', 'tenant', () => teamsToken({ tid: otherTenant })],
    ['not a token at all', 'malformed', async () => 'not-a-token-but-long-enough'],
  ];
  it.each(refused)('refuses %s with 401 problem+json and no session', async (_name, reason, make) => {
    const token = await make();
    const res = await exchange(token);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('SG-AUTH-SSO-INVALID');
    expect(problem.detail).toContain(`(${reason})`);
    expect(res.headers.get('set-cookie')).toBeNull();
    const bearer = await fetch(`${service.url}/api/my-referrals`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
  });

  it('logs the reason code only: no token, no name, no email', async () => {
    await new Promise((r) => setTimeout(r, 200)); // let the child flush its log lines
    const log = service.output();
    expect(log).toMatch(/"reason":"signature"/);
    expect(log).toMatch(/"reason":"tenant"/);
    expect(log).not.toContain('Test Teacher');
    expect(log).not.toContain('test.teacher@example.org');
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });
});

describe('Teams SSO configuration', () => {
  it('refuses to start with TEAMS_SSO_TENANT_IDS but no MicrosoftAppId (the token audience is the bot app)', async () => {
    const run = runService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), TEAMS_SSO_TENANT_IDS: tenant }, await freePort());
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/configuration error: .*TEAMS_SSO_TENANT_IDS.*needs MicrosoftAppId/);
  });
});
