import { bankHolidaysCoverAhead, bankHolidaysCoverUntil, horizonDays } from './openingHours';
import { localTime } from './zonedTime';
import { reviewDueMessageKey, type ContentPack } from '../content/packSchema';

/** A pack reviewed longer ago than this is "due for review" (issue 17: every 12 months). */
export const reviewIntervalMonths = 12;

/** The date `months` calendar months before `date` (YYYY-MM-DD; the 31st clamps to the month's end). */
function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const total = year * 12 + (month - 1) - months;
  const y = Math.floor(total / 12);
  const m = total % 12;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** Whether the pack's last review (`reviewedOn`) is more than 12 months before `now` (London date), or unknown. */
export function isReviewDue(pack: Pick<ContentPack, 'reviewedOn'>, now: Date): boolean {
  if (!pack.reviewedOn) return true;
  return pack.reviewedOn < monthsBefore(localTime(now).date, reviewIntervalMonths);
}

/**
 * "Guidance due for review", shown after the welcome while the review is overdue: the professional is
 * told to check what they rely on, and the service keeps running. Undefined when the review is current
 * or the pack has no words for it.
 */
export function reviewDueText(pack: ContentPack, now: Date): string | undefined {
  const message = pack.messages[reviewDueMessageKey];
  if (!message || !isReviewDue(pack, now)) return undefined;
  return message.text.replace('{reviewedOn}', pack.reviewedOn ?? 'an unknown date');
}

/** What an operator needs to know about how current the pack is at `now`; no personal data. */
export interface PackCurrency {
  packVersion: string;
  reviewedOn?: string;
  reviewedBy: string;
  reviewDue: boolean;
  /** The last date the bank-holiday table speaks for. */
  bankHolidaysUntil?: string;
  /** True when the table does not cover today plus the 400-day look-ahead: add next year's dates. */
  bankHolidaysShort: boolean;
}

export function packCurrency(pack: ContentPack, now: Date): PackCurrency {
  const today = localTime(now).date;
  const until = bankHolidaysCoverUntil(pack);
  const closesOnHolidays = pack.contacts.some((c) => c.opening?.kind === 'weekly' && c.opening.closedOnBankHolidays);
  return {
    packVersion: pack.version,
    ...(pack.reviewedOn ? { reviewedOn: pack.reviewedOn } : {}),
    reviewedBy: pack.reviewedBy,
    reviewDue: isReviewDue(pack, now),
    ...(until ? { bankHolidaysUntil: until } : {}),
    bankHolidaysShort: closesOnHolidays && !bankHolidaysCoverAhead(pack, today, horizonDays),
  };
}
