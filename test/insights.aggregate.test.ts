import { insights, loadDefaultPack } from '../flows';
import { factOf } from '../integrations';
import { identifying, localDate, organisations, syntheticLog, type Truth } from './support/insightsLog';

const pack = loadDefaultPack();
const log = syntheticLog({ count: 3000 });
const facts = log.entries.map(factOf);
const now = '2027-01-01T12:00:00.000Z';

function rawTables(from: string, to: string) {
  const tables = insights.insightTables(facts, { from, to, now, pack });
  const byId = new Map(tables.map((t) => [t.id, t]));
  return (id: string) => {
    const table = byId.get(id);
    if (!table) throw new Error(`no table ${id}`);
    return new Map(table.rows.map((row) => [row.key, row.counts]));
  };
}

/** The test's own count: truths in range, grouped by a key. */
function independent(from: string, to: string, kind: Truth['kind'], keyOf: (t: Truth) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of log.truths) {
    const key = t.kind === kind && t.localDate >= from && t.localDate <= to ? keyOf(t) : undefined;
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const column = (table: Map<string, number[]>, j = 0) => new Map([...table].filter(([, c]) => c[j] > 0).map(([k, c]) => [k, c[j]]));

describe.each([
  ['the whole quarter', '2026-01-01', '2026-03-31'],
  ['February only', '2026-02-01', '2026-02-28'],
])('aggregates over %s of a synthetic log of 3000+ records', (_name, from, to) => {
  const table = rawTables(from, to);

  it('counts sharing decisions by outcome and reason as the test does', () => {
    expect(column(table('sharing-by-outcome'))).toEqual(independent(from, to, 'sharing', (t) => t.key.outcome));
    expect(column(table('sharing-by-reason'))).toEqual(independent(from, to, 'sharing', (t) => t.key.reason));
  });

  it('counts screenings by category, age band and indicator', () => {
    expect(column(table('screenings-by-category'))).toEqual(independent(from, to, 'screening', (t) => t.key.category));
    expect(column(table('screenings-by-age-band'))).toEqual(independent(from, to, 'screening', (t) => t.key.ageBand));
    const indicatorCounts = new Map<string, number>();
    for (const t of log.truths) {
      if (t.kind !== 'screening' || t.localDate < from || t.localDate > to || !t.key.indicators) continue;
      for (const id of t.key.indicators.split(',')) indicatorCounts.set(id, (indicatorCounts.get(id) ?? 0) + 1);
    }
    expect(column(table('screenings-top-indicators'))).toEqual(indicatorCounts);
  });

  it('follows referrals to delivery, parking, acknowledgement in one working day and decision', () => {
    expect(column(table('referrals-by-status'))).toEqual(independent(from, to, 'referral', (t) => t.key.status));
    expect(column(table('referrals-time-to-delivery'))).toEqual(independent(from, to, 'referral', (t) => t.key.delivery));
    expect(column(table('referrals-acknowledged-in-time'))).toEqual(independent(from, to, 'referral', (t) => t.key.ack));
    expect(column(table('referrals-by-decision'))).toEqual(independent(from, to, 'referral', (t) => t.key.decision));
  });

  it('counts handoffs by urgency and time to claim', () => {
    expect(column(table('handoffs-by-urgency'))).toEqual(independent(from, to, 'handoff', (t) => t.key.urgency));
    expect(column(table('handoffs-time-to-claim'))).toEqual(independent(from, to, 'handoff', (t) => t.key.claim));
  });

  it('counts every kind of record by month, channel and organisation type', () => {
    const kinds: Truth['kind'][] = ['sharing', 'screening', 'referral', 'handoff'];
    kinds.forEach((kind, j) => {
      expect(column(table('activity-by-month'), j)).toEqual(independent(from, to, kind, (t) => t.localDate.slice(0, 7)));
      expect(column(table('activity-by-organisation-type'), j)).toEqual(independent(from, to, kind, (t) => t.organisationType));
      expect(column(table('activity-by-channel'), j)).toEqual(independent(from, to, kind, (t) => (t.channel === 'msteams' ? 'Microsoft Teams' : 'Web chat')));
      const weeks = [...table('activity-by-week').values()].reduce((sum, c) => sum + c[j], 0);
      expect(weeks).toBe([...independent(from, to, kind, () => 'all').values()].reduce((a, b) => a + b, 0));
    });
  });
});

describe('the published report', () => {
  const report = insights.aggregateInsights(facts, { from: '2026-01-01', to: '2026-03-31', now, pack });

  it('has no count under 5 and no identifying words anywhere', () => {
    const text = JSON.stringify(report);
    for (const word of identifying) expect(text).not.toContain(word);
    for (const org of organisations) expect(text).not.toContain(org.name);
    for (const table of report.tables) for (const row of table.rows) for (const cell of row.cells) if (typeof cell === 'number') expect(cell).toBeGreaterThanOrEqual(5);
  });

  it('labels weeks by ISO week and months by the London calendar', () => {
    const weeks = report.tables.find((t) => t.id === 'activity-by-week')!.rows.map((r) => r.key);
    expect(weeks[0]).toBe('2026-W01'); // Thursday 1 January 2026 is in week 1
    expect(weeks.at(-1)).toBe('2026-W14');
    expect(insights.isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(localDate('2026-03-31T23:30:00Z')).toBe('2026-04-01');
  });
});

describe('MASH acknowledgement within one working day (Europe/London, pack bank holidays)', () => {
  const inTime = (submitted: string, acknowledged: string) => insights.acknowledgedInTime(submitted, acknowledged, pack.bankHolidays);

  it('gives a Friday afternoon referral until the same time on Monday', () => {
    expect(inTime('2026-03-06T16:00:00Z', '2026-03-09T15:59:00Z')).toBe(true);
    expect(inTime('2026-03-06T16:00:00Z', '2026-03-09T16:01:00Z')).toBe(false);
  });

  it('skips Good Friday and Easter Monday 2026 (BST)', () => {
    expect(inTime('2026-04-02T09:00:00Z', '2026-04-07T08:59:00Z')).toBe(true); // 10:00 BST Thursday → 10:00 BST Tuesday
    expect(inTime('2026-04-02T09:00:00Z', '2026-04-07T09:01:00Z')).toBe(false);
  });

  it('starts the clock on the next working day for a weekend referral', () => {
    expect(inTime('2026-03-07T11:00:00Z', '2026-03-09T23:59:00Z')).toBe(true);
    expect(inTime('2026-03-07T11:00:00Z', '2026-03-10T00:01:00Z')).toBe(false);
  });
});

describe('organisation types from the content pack', () => {
  it.each(organisations.map((o) => [o.name, o.type]))('%s is %s', (name, type) => {
    expect(insights.organisationTypeOf(name, pack.insights)).toBe(type);
  });
  it('maps an unknown or missing organisation to other', () => {
    expect(insights.organisationTypeOf(undefined, pack.insights)).toBe('other');
    expect(insights.organisationTypeOf('Test Bakery', pack.insights)).toBe('other');
  });
});
