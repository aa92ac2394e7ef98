import { identifying, syntheticLog, writeEmbeddedAuditLog } from './support/insightsLog';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { startTeamsSso, type TeamsSso } from './support/teamsSso';

// The insight tab in Teams: the framed page gets no SameSite=Strict cookie, so its script sends the Teams
// SSO token as a bearer. Synthetic Entra object ids: a partnership lead, and a professional with no role.
const leadOid = '12121212-3434-5656-7878-909090909090';
const teacherOid = '99999999-8888-7777-6666-555555555555';
const range = 'from=2026-01-01&to=2026-03-31';

let sso: TeamsSso;
let service: ServiceProcess;

jest.setTimeout(60_000);

beforeAll(async () => {
  sso = await startTeamsSso();
  const dataDir = tempDataDir();
  const key = testKey();
  writeEmbeddedAuditLog(dataDir, key, syntheticLog({ count: 3000 }).entries);
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key, ...sso.serviceEnv, PARTNERSHIP_LEAD_IDS: leadOid });
});
afterAll(async () => {
  await service?.stop();
  await sso?.close();
});

const withBearer = (path: string, token: string, accept = 'application/json') =>
  fetch(`${service.url}${path}`, { headers: { accept, authorization: `Bearer ${token}` }, redirect: 'manual' });
const problemCode = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('the insight API and CSV with a Teams SSO bearer', () => {
  it('answer a partnership lead (role from PARTNERSHIP_LEAD_IDS) with the suppressed report and its CSV', async () => {
    const token = await sso.token({ oid: leadOid });
    const api = await withBearer(`/api/insights?${range}`, token);
    expect(api.status).toBe(200);
    const report = (await api.json()) as { from: string; to: string; tables: Array<{ id: string }> };
    expect(report).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(report.tables).toHaveLength(18); // 16, and the two VOLT tables of issue 21
    expect(JSON.stringify(report)).toContain('"<5"');
    for (const word of identifying) expect(JSON.stringify(report)).not.toContain(word);

    const csv = await withBearer(`/insights/export.csv?${range}`, token, 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toBe('table,row,column,count,from,to');
  });

  it('refuse a valid token of a professional without the role (403), as the session does', async () => {
    const token = await sso.token({ oid: teacherOid });
    for (const path of [`/api/insights?${range}`, `/insights/export.csv?${range}`]) {
      const res = await withBearer(path, token);
      expect(res.status).toBe(403);
      expect(await problemCode(res)).toBe('SG-AUTH-FORBIDDEN');
    }
  });

  it.each([
    ['a forged signature', () => sso.token({ oid: leadOid, key: sso.forgerKey })],
    ['an expired token', () => sso.token({ oid: leadOid, exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['another tenant', () => sso.token({ oid: leadOid, tid: 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee' })],
  ])('refuse %s with 401 problem+json', async (_name, make) => {
    const token = await make();
    for (const path of [`/api/insights?${range}`, `/insights/export.csv?${range}`]) {
      const res = await withBearer(path, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await problemCode(res)).toBe('SG-AUTH-SSO-INVALID');
    }
  });
});

describe('the insight page shell', () => {
  it('is served to a framed request without a cookie (as in Teams) and holds no figures', async () => {
    const res = await fetch(`${service.url}/insights?${range}`, { headers: { accept: 'text/html', 'sec-fetch-dest': 'iframe' }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft");
    const page = await res.text();
    expect(page).toContain('<script src="/insights/assets/insights.js" defer></script>');
    expect(page).not.toContain('insights-data');
    expect(page).not.toMatch(/<table|<canvas/);
  });

  it('still sends a signed-out browser at top level to the sign-in page', async () => {
    const res = await fetch(`${service.url}/insights?${range}`, { headers: { accept: 'text/html', 'sec-fetch-dest': 'document' }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/signin?returnTo=${encodeURIComponent(`/insights?${range}`)}`);
  });

  it('logs a refused bearer by its reason code only', async () => {
    const log = service.output();
    expect(log).toMatch(/"reason":"signature".*insights: SSO bearer refused/);
    expect(log).not.toContain('Test Teacher');
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });
});
