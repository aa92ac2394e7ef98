import type { ContentPack } from '../content/packSchema';
import { sharingOutcomes, sharingReasons } from '../machines/sharing/sharingDecision';
import { ageBands } from './dimensions';
import { count, countBy, tableOf, text } from './tally';
import type { AuditFact, RawTable } from './types';

const ageLabels: Record<string, string> = {
  'under-10': 'Under 10',
  '10-13': '10 to 13',
  '14-15': '14 to 15',
  '16-17': '16 to 17',
  '18-plus': '18 or over',
  unknown: 'Not known',
};

/** Sharing decisions by outcome and by reason. */
export function sharingTables(decisions: AuditFact[]): RawTable[] {
  return [
    tableOf(
      { id: 'sharing-by-outcome', title: 'Sharing decisions by outcome', rowHeader: 'Outcome', column: 'Decisions', order: sharingOutcomes },
      countBy(decisions, (d) => text(d, 'outcome')),
    ),
    tableOf(
      { id: 'sharing-by-reason', title: 'Sharing decisions by reason', rowHeader: 'Reason', column: 'Decisions', order: sharingReasons },
      countBy(decisions, (d) => text(d, 'reason') ?? 'not-recorded'),
    ),
  ];
}

/** Screenings by category, pathway and age band, and the ten indicators seen most often. */
export function screeningTables(screenings: AuditFact[], pack: ContentPack): RawTable[] {
  const indicatorWords = pack.screening?.indicators ?? {};
  const indicators = (s: AuditFact) => {
    const list = s.payload.indicators;
    // Indicators are recorded as `{ id, label, weight }`; an id alone is accepted too.
    const ids = (Array.isArray(list) ? list : []).map((i: unknown) => (typeof i === 'string' ? i : (i as { id?: unknown } | null)?.id));
    return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  };
  return [
    tableOf(
      {
        id: 'screenings-by-category',
        title: 'Screenings by risk category',
        rowHeader: 'Category',
        column: 'Screenings',
        order: ['0', '1', '2', '3', '4'],
        label: (k) => `Category ${k}`,
      },
      countBy(screenings, (s) => String(count(s, 'category') ?? 'unknown')),
    ),
    tableOf(
      {
        id: 'screenings-by-pathway',
        title: 'Screenings by pathway',
        rowHeader: 'Pathway',
        column: 'Screenings',
        order: ['universal', 'early-help', 'mash-referral', 'emergency', 'adult-safeguarding', 'lado'],
      },
      countBy(screenings, (s) => text(s, 'pathway') ?? 'unknown'),
    ),
    tableOf(
      { id: 'screenings-by-age-band', title: 'Screenings by age band', rowHeader: 'Age band', column: 'Screenings', order: ageBands, label: (k) => ageLabels[k] ?? k },
      countBy(screenings, (s) => text(s, 'ageBand') ?? 'unknown'),
    ),
    tableOf(
      {
        id: 'screenings-top-indicators',
        title: 'Risk indicators seen most often (top 10)',
        rowHeader: 'Indicator',
        column: 'Screenings',
        limit: 10,
        partition: false,
        label: (k) => indicatorWords[k]?.label ?? k,
      },
      countBy(screenings, indicators),
    ),
  ];
}
