import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { identifying, organisations, syntheticLog, writeEmbeddedAuditLog } from './support/insightsLog';
import { signInLocally, testTeacher } from './support/webSignIn';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

type Json = Record<string, unknown>;
const doc = parse(readFileSync(join(__dirname, '..', 'docs', 'insights.openapi.yaml'), 'utf8')) as Json;
const schemas = (doc.components as Json).schemas as Json;
/** A component of the OpenAPI document as zod (JSON Schema 2020-12, the dialect of OpenAPI 3.1). */
function schemaOf(name: string) {
  const defs = JSON.parse(JSON.stringify(schemas).replace(/#\/components\/schemas\//g, '#/$defs/')) as Json;
  return z.fromJSONSchema({ $ref: `#/$defs/${name}`, $defs: defs } as never);
}

let service: ServiceProcess;
let lead: string;
let teacher: string;
const range = 'from=2026-01-01&to=2026-03-31';

jest.setTimeout(60_000);

beforeAll(async () => {
  const dataDir = tempDataDir();
  const key = testKey();
  writeEmbeddedAuditLog(dataDir, key, syntheticLog({ count: 3000 }).entries);
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
  lead = await signInLocally(service.url, { ...testTeacher, localRoles: ['partnership-lead'] });
  teacher = await signInLocally(service.url);
});

afterAll(async () => {
  await service?.stop();
});

const get = (path: string, cookie?: string, accept = 'application/json') =>
  fetch(`${service.url}${path}`, { headers: { accept, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });

describe('GET /api/insights', () => {
  it('answers a partnership lead with the report the OpenAPI document describes', async () => {
    const res = await get(`/api/insights?${range}`, lead);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string; tables: Array<{ id: string; rows: Array<{ cells: unknown[] }> }> };
    // The document's schema has teeth: an unsuppressed small count or an extra field fails it.
    expect(schemaOf('Cell').safeParse(3).success).toBe(false);
    expect(schemaOf('InsightsReport').safeParse({ ...body, extra: 1 }).success).toBe(false);
    const checked = schemaOf('InsightsReport').safeParse(body);
    expect(checked.success ? [] : checked.error.issues.slice(0, 3)).toEqual([]);
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(body.tables.map((t) => t.id)).toContain('referrals-acknowledged-in-time');
    // Small numbers exist in this log (weeks at the edges, rare outcomes) and are shown only as "<5".
    expect(JSON.stringify(body)).toContain('"<5"');
  });

  it('refuses a signed-in professional without the role (403) and a stranger (401)', async () => {
    for (const path of [`/api/insights?${range}`, `/insights/export.csv?${range}`, `/insights?${range}`]) {
      const forbidden = await get(path, teacher);
      expect(forbidden.status).toBe(403);
      expect(schemaOf('Problem').safeParse(await forbidden.json()).success).toBe(true);
    }
    expect((await get(`/api/insights?${range}`)).status).toBe(401);
    const page = await get(`/insights?${range}`, undefined, 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/signin?returnTo=${encodeURIComponent(`/insights?${range}`)}`);
  });

  it.each([
    ['a date that is not a date', 'from=2026-13-01&to=2026-03-31', /^from: must be a date/],
    ['from after to', 'from=2026-03-31&to=2026-01-01', /^from: must not be after to/],
    ['a range over two years', 'from=2023-01-01&to=2026-03-31', /^to: the range may be at most 731 days/],
  ])('refuses %s with a clear 400', async (_name, query, detail) => {
    const res = await get(`/api/insights?${query}`, lead);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('SG-HTTP-BAD-REQUEST');
    expect(problem.detail).toMatch(detail);
  });
});

describe('GET /insights', () => {
  it('is a page Teams may frame as a tab, with no inline script or style allowed', async () => {
    const res = await get(`/insights?${range}`, lead, 'text/html');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const page = await res.text();
    // A shell: the figures come from /api/insights (session or Teams SSO bearer), never in the HTML.
    expect(page).toMatch(/<script src="\/insights\/assets\/insights.js" defer><\/script>/);
    expect(page).not.toMatch(/insights-data|<table|<canvas/);
    expect(page).toMatch(/<a class="export" id="export" href="\/insights\/export.csv\?from=2026-01-01&amp;to=2026-03-31" download>/);
    for (const word of identifying) expect(page).not.toContain(word);
  });
});

describe('GET /insights/export.csv', () => {
  it('exports what the page shows: the same cells, "<5" kept, nothing identifying, nothing a spreadsheet would run', async () => {
    const res = await get(`/insights/export.csv?${range}`, lead, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="partnership-insight-2026-01-01-to-2026-03-31.csv"');
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('table,row,column,count,from,to');
    expect(lines.some((l) => l.includes(',<5,'))).toBe(true);
    for (const line of lines) expect(line).not.toMatch(/(^|,)[=+\-@]/);
    for (const word of [...identifying, ...organisations.map((o) => o.name)]) expect(csv).not.toContain(word);
    const api = (await (await get(`/api/insights?${range}`, lead)).json()) as {
      tables: Array<{ title: string; columns: string[]; rows: Array<{ label: string; cells: unknown[] }> }>;
    };
    const month = api.tables.find((t) => t.title === 'Activity by month')!;
    expect(lines).toContain(`Activity by month,${month.rows[1].label},Screenings,${String(month.rows[1].cells[1])},2026-01-01,2026-03-31`);
    for (const word of identifying) expect(JSON.stringify(api)).not.toContain(word);
  });
});
