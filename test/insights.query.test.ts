import { parseInsightsQuery } from '../server/insights';

describe('the insight date range (?from=&to=)', () => {
  it('takes inclusive ISO dates', () => {
    expect(parseInsightsQuery({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ ok: true, value: { from: '2026-01-01', to: '2026-03-31' } });
  });

  it('completes a missing end with 90 days, and empty values count as missing', () => {
    expect(parseInsightsQuery({ from: '2026-01-01' })).toEqual({ ok: true, value: { from: '2026-01-01', to: '2026-03-31' } });
    expect(parseInsightsQuery({ from: '', to: '2026-03-31' })).toEqual({ ok: true, value: { from: '2026-01-01', to: '2026-03-31' } });
    const none = parseInsightsQuery({});
    expect(none.ok && Date.parse(none.value.to) - Date.parse(none.value.from)).toBe(89 * 86_400_000);
  });

  it('allows at most 731 days', () => {
    expect(parseInsightsQuery({ from: '2024-01-01', to: '2025-12-31' }).ok).toBe(true); // 731 days, 2024 a leap year
    expect(parseInsightsQuery({ from: '2024-01-01', to: '2026-01-01' })).toEqual({ ok: false, detail: 'to: the range may be at most 731 days' });
  });

  it('names the parameter and never echoes what was sent', () => {
    const result = parseInsightsQuery({ from: '<script>', to: '2026-01-01' });
    expect(result).toEqual({ ok: false, detail: 'from: must be a date as YYYY-MM-DD' });
    expect(parseInsightsQuery({ from: ['2026-01-01', '2026-02-01'] }).ok).toBe(false);
  });
});
