import { insights } from '../flows';
import { auditEffect } from '../flows/machines/screening/screeningMessages';
import { insightsCsv } from '../server/insights/csv';

const report = (label: string): insights.InsightsReport => ({
  from: '2026-01-01',
  to: '2026-01-31',
  generatedAt: '2026-02-01T00:00:00.000Z',
  suppression: { threshold: 5, rule: insights.suppressionRule },
  tables: [
    {
      id: 'sharing-by-outcome',
      title: 'Sharing, "by" outcome',
      rowHeader: 'Outcome',
      columns: ['Decisions'],
      rows: [
        { key: 'x', label, cells: ['<5'] },
        { key: 'y', label: 'Share', cells: [12] },
      ],
      totals: [14],
      chart: 'bar',
    },
  ],
});

describe('the CSV export', () => {
  it.each(['=HYPERLINK("http://example.org")', '+1', '-1+2', '@SUM(A1)', '\tTab'])('keeps %j as text, never a formula', (label) => {
    const lines = insightsCsv(report(label)).trim().split('\r\n');
    const fields = lines[1].match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
    expect(fields[1].replace(/^"|"$/g, '')).toMatch(/^'/);
  });

  it('quotes commas and quotes, and keeps a suppressed cell as "<5"', () => {
    expect(insightsCsv(report('Do not share'))).toBe(
      'table,row,column,count,from,to\r\n' +
        '"Sharing, ""by"" outcome",Do not share,Decisions,<5,2026-01-01,2026-01-31\r\n' +
        '"Sharing, ""by"" outcome",Share,Decisions,12,2026-01-01,2026-01-31\r\n' +
        '"Sharing, ""by"" outcome",Total,Decisions,14,2026-01-01,2026-01-31\r\n',
    );
  });
});

describe('the screening audit record', () => {
  it('carries an age band, never the age', () => {
    const value = {
      type: 'safeguarding.screeningResult',
      screeningId: 'scr-1',
      category: 2,
      label: 'Category 2',
      pathway: 'early-help',
      urgency: 'routine',
      indicators: [],
      vulnerabilities: [],
      counts: { critical: 0, significant: 0, total: 0 },
      rationale: 'r',
      contentVersion: '1.0.0',
    } as never;
    const effect = auditEffect(value, { tellPlacingAuthority: false, age: 14 });
    expect(effect.payload.ageBand).toBe('14-15');
    expect(effect.payload).not.toHaveProperty('age');
    expect(auditEffect(value, { tellPlacingAuthority: false }).payload.ageBand).toBe('unknown');
  });
});
