import { organisationTypes } from '../content/insightsSchema';
import { addDays } from '../advice/zonedTime';
import { isoWeekOf, labelOf, monthOf } from './dimensions';
import type { RawTable } from './types';

export const activityKinds = ['sharing', 'screening', 'referral', 'handoff'] as const;
export type ActivityKind = (typeof activityKinds)[number];
const columns = ['Sharing decisions', 'Screenings', 'Referrals', 'Handoffs'];

/** One in-range record as the activity tables see it: what it is, when, where and from what kind of organisation. */
export interface Activity {
  kind: ActivityKind;
  /** Local (Europe/London) date, YYYY-MM-DD. */
  localDate: string;
  channel: string;
  organisationType: string;
}

const channelLabels: Record<string, string> = { msteams: 'Microsoft Teams', directline: 'Web chat', webchat: 'Web chat', emulator: 'Emulator (testing)' };

/** Every month and ISO week the range touches, in order, so quiet periods show as rows too. */
export function periodsOf(from: string, to: string): { months: string[]; weeks: string[] } {
  const months = new Set<string>();
  const weeks = new Set<string>();
  for (let date = from; date <= to; date = addDays(date, 1)) {
    months.add(monthOf(date));
    weeks.add(isoWeekOf(date));
  }
  return { months: [...months], weeks: [...weeks] };
}

function activityTable(
  id: string,
  title: string,
  rowHeader: string,
  keys: string[],
  keyOf: (a: Activity) => string,
  activities: Activity[],
  options: { label?: (k: string) => string; chart?: 'bar' | 'line' } = {},
): RawTable {
  const counts = new Map<string, number[]>();
  for (const activity of activities) {
    const key = keyOf(activity);
    const row = counts.get(key) ?? activityKinds.map(() => 0);
    row[activityKinds.indexOf(activity.kind)] += 1;
    counts.set(key, row);
  }
  const ordered = [...keys, ...[...counts.keys()].filter((k) => !keys.includes(k)).sort()];
  const rows = ordered.map((key) => ({ key, label: options.label ? options.label(key) : key, counts: counts.get(key) ?? activityKinds.map(() => 0) }));
  return { id, title, rowHeader, columns, rows, partition: true, chart: options.chart ?? 'bar' };
}

/** Decisions, screenings, referrals and handoffs by month, week, channel and referrer organisation type. */
export function activityTables(activities: Activity[], from: string, to: string): RawTable[] {
  const { months, weeks } = periodsOf(from, to);
  return [
    activityTable('activity-by-month', 'Activity by month', 'Month', months, (a) => monthOf(a.localDate), activities, { chart: 'line' }),
    activityTable('activity-by-week', 'Activity by week', 'Week', weeks, (a) => isoWeekOf(a.localDate), activities, { chart: 'line' }),
    activityTable('activity-by-channel', 'Activity by channel', 'Channel', [], (a) => channelLabels[a.channel] ?? 'Other channel', activities),
    activityTable('activity-by-organisation-type', 'Activity by referrer organisation type', 'Organisation type', [...organisationTypes], (a) => a.organisationType, activities, {
      label: labelOf,
    }),
  ];
}
