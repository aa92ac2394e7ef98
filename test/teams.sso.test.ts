import { freePort, runService, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { ssoAppId as appId, ssoOid as oid, ssoOtherTenant as otherTenant, ssoTenant as tenant, startTeamsSso, type TeamsSso, type TokenOptions } from './support/teamsSso';

jest.setTimeout(60_000);

let sso: TeamsSso;
let service: ServiceProcess;
const teamsToken = (options?: TokenOptions) => sso.token(options);

const exchange = (token: string) => fetch(`${service.url}/tabs/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });

beforeAll(async () => {
  sso = await startTeamsSso();
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), ...sso.serviceEnv, COORDINATOR_IDS: oid });
});
afterAll(async () => {
  await service?.stop();
  await sso?.close();
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
    expect(await list.json()).toEqual({ user: { name: 'Test Teacher' }, notifications: [], referrals: [], questions: [], drafts: [] });
  });

  it('refuses a cross-site POST /tabs/sso even with a valid token: no session for a forged sign-in (pen test L6)', async () => {
    const token = await teamsToken();
    const foreign: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      const res = await fetch(`${service.url}/tabs/sso`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token }) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('SG-AUTH-CROSS-ORIGIN');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const same = await fetch(`${service.url}/tabs/sso`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ token }),
    });
    expect(same.status).toBe(200);
  });

  it('accepts the token as a bearer on the list API (a framed tab does not get a SameSite=Strict cookie)', async () => {
    const list = await fetch(`${service.url}/api/my-referrals`, { headers: { authorization: `Bearer ${await teamsToken()}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { user: { name: string } }).user.name).toBe('Test Teacher');
  });

  it('accepts a v1 token (sts.windows.net issuer) whose audience is the app id', async () => {
    const res = await exchange(
      await teamsToken({ aud: appId, iss: `https://sts.windows.net/${tenant}/`, claims: { azp: undefined, appid: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', ver: '1.0' } }),
    );
    expect(res.status).toBe(200);
  });

  const refused: Array<[string, string, () => Promise<string>]> = [
    ['a forged signature', 'signature', () => teamsToken({ key: sso.forgerKey })],
    ['the wrong audience', 'audience', () => teamsToken({ aud: `api://evil.example.org/botid-${appId}` })],
    ['the wrong issuer', 'issuer', () => teamsToken({ iss: `https://login.microsoftonline.com/${otherTenant}/v2.0` })],
    ['an expired token', 'expired', () => teamsToken({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a tenant not allowed', 'tenant', () => teamsToken({ tid: otherTenant })],
    ['not a token at all', 'malformed', async () => 'not-a-token-but-long-enough'],
    // Pen test L4: a token without exp, an app-only token, one without the tab's scope, one from a client that is not Teams, one issued too long ago.
    ['a token without exp', 'claims', () => teamsToken({ claims: { exp: null } })],
    ['a token without the access_as_user scope', 'scope', () => teamsToken({ claims: { scp: 'User.Read' } })],
    ['an app-only token', 'scope', () => teamsToken({ claims: { scp: undefined, idtyp: 'app', roles: ['Access.All'] } })],
    ['a token for another client application', 'client', () => teamsToken({ claims: { azp: '00000000-1111-2222-3333-444444444444' } })],
    ['a token issued more than two hours ago', 'expired', () => teamsToken({ claims: { iat: Math.floor(Date.now() / 1000) - 3 * 3600 } })],
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
    const log = service.output();
    expect(log).toMatch(/"reason":"signature"/);
    expect(log).toMatch(/"reason":"tenant"/);
    expect(log).not.toContain('Test Teacher');
    expect(log).not.toContain('test.teacher@example.org');
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });
});

describe('Teams SSO configuration', () => {
  // A refusal at start-up is the process's exit code and its one line: the built service, really started.
  it('refuses to start with TEAMS_SSO_TENANT_IDS but no MicrosoftAppId (the token audience is the bot app)', async () => {
    const run = runService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), TEAMS_SSO_TENANT_IDS: tenant }, await freePort());
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/configuration error: .*TEAMS_SSO_TENANT_IDS.*needs MicrosoftAppId/);
  });
});
