import { addDays, localTime, weekdayOf } from '../advice/zonedTime';

/** Bank holidays as in the content pack: local date → name. */
export type BankHolidays = Record<string, string> | undefined;

export function isWorkingDay(localDate: string, holidays: BankHolidays): boolean {
  const day = weekdayOf(localDate);
  return day !== 'sat' && day !== 'sun' && !holidays?.[localDate];
}

function nextWorkingDay(localDate: string, holidays: BankHolidays): string {
  let date = addDays(localDate, 1);
  while (!isWorkingDay(date, holidays)) date = addDays(date, 1);
  return date;
}

/**
 * The MASH's "within one working day" (Europe/London wall clock, weekends and the pack's bank holidays
 * excluded): by the same time on the next working day. A referral sent on a non-working day starts the
 * clock at the next working day, so the MASH has to the end of that day.
 */
export function acknowledgementDeadline(submittedAt: string, holidays: BankHolidays): { date: string; minute: number } {
  const submitted = localTime(new Date(submittedAt));
  if (!isWorkingDay(submitted.date, holidays)) return { date: nextWorkingDay(submitted.date, holidays), minute: 24 * 60 };
  return { date: nextWorkingDay(submitted.date, holidays), minute: submitted.minute };
}

/** Whether an acknowledgement at `acknowledgedAt` met the one-working-day target. */
export function acknowledgedInTime(submittedAt: string, acknowledgedAt: string, holidays: BankHolidays): boolean {
  const deadline = acknowledgementDeadline(submittedAt, holidays);
  const at = localTime(new Date(acknowledgedAt));
  return at.date < deadline.date || (at.date === deadline.date && at.minute <= deadline.minute);
}
