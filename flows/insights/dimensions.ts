import type { InsightsSection, OrganisationType } from '../content/insightsSchema';
import { organisationTypes } from '../content/insightsSchema';
import { addDays, localTime, weekdayOf } from '../advice/zonedTime';

/** Age bands reported instead of ages (never a date of birth): coarse enough not to single a child out. */
export const ageBands = ['under-10', '10-13', '14-15', '16-17', '18-plus', 'unknown'] as const;
export type AgeBand = (typeof ageBands)[number];

export function ageBandOf(age: number | undefined): AgeBand {
  if (age === undefined || !Number.isFinite(age) || age < 0) return 'unknown';
  if (age < 10) return 'under-10';
  if (age < 14) return '10-13';
  if (age < 16) return '14-15';
  return age < 18 ? '16-17' : '18-plus';
}

/** A free-text organisation name as one of the fixed types (keywords from the content pack). */
export function organisationTypeOf(name: string | undefined, section: InsightsSection | undefined): OrganisationType {
  const text = ` ${(name ?? '').toLowerCase().replace(/[’]/g, "'")} `;
  if (!section || !text.trim()) return 'other';
  for (const type of organisationTypes) {
    if (type === 'other') continue;
    if (section.organisationTypes[type].some((keyword) => text.includes(keyword.toLowerCase()))) return type;
  }
  return 'other';
}

/** The local (Europe/London) calendar date of an instant. */
export const localDateOf = (iso: string): string => localTime(new Date(iso)).date;

export const monthOf = (localDate: string): string => localDate.slice(0, 7);

const mondayFirst = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** ISO 8601 week of a local date, e.g. `2026-W10`: the week's Thursday gives the year and the number. */
export function isoWeekOf(localDate: string): string {
  const thursday = addDays(localDate, 3 - mondayFirst.indexOf(weekdayOf(localDate)));
  const year = thursday.slice(0, 4);
  const dayOfYear = Math.round((Date.parse(thursday) - Date.parse(`${year}-01-01`)) / 86_400_000);
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

/** Words for a machine value: `share-without-consent` → "Share without consent". */
export function labelOf(key: string): string {
  const words = key.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
