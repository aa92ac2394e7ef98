import { loadDefaultPack } from '../content/loadPack';
import { aggregateInsights } from './aggregate';
import type { AuditFact } from './types';

// Issue 21 item 6: the VOLT picture reaches the partnership's view as counts and postcode districts only,
// and the small-number suppression every table has applies to it.

const pack = loadDefaultPack();

function referral(i: number, volt: Record<string, unknown> | undefined): AuditFact {
  return {
    id: `a-${i}`,
    recordType: 'referral',
    recordedAt: '2026-02-10T10:00:00.000Z',
    actor: { channelId: 'msteams' },
    payload: { clientReference: `SG-${i}`, concernCategories: ['cce'], urgency: 'same-day', ...(volt ? { volt } : {}) },
  };
}

describe('the VOLT tables of partnership insight', () => {
  const facts = [
    ...Array.from({ length: 6 }, (_, i) => referral(i, { persons: 1, vehicles: 2, places: 1, districts: ['GL1'] })),
    referral(6, { persons: 2, vehicles: 0, places: 2, districts: ['GL1', 'GL50'] }),
    referral(7, undefined),
    // A record written wrongly (typed words where a district goes) is never shown.
    referral(8, { persons: 1, vehicles: 0, places: 1, districts: ['Flat above the takeaway'] }),
  ];
  const report = aggregateInsights(facts, { from: '2026-02-01', to: '2026-02-28', now: '2026-03-01T00:00:00.000Z', pack });
  const table = (id: string) => report.tables.find((t) => t.id === id)!;

  it('counts persons, vehicles and places of concern across referrals', () => {
    expect(table('referrals-volt').rows.map((r) => [r.key, r.cells])).toEqual([
      ['persons', [9]],
      ['vehicles', [12]],
      ['places', [9]],
    ]);
  });

  it('shows places as postcode districts, suppressing those named by fewer than five referrals', () => {
    expect(table('referrals-places-by-district').rows.map((r) => [r.label, r.cells])).toEqual([
      ['GL1', [7]],
      ['GL50', ['<5']],
    ]);
    expect(JSON.stringify(report)).not.toContain('takeaway');
  });
});
