import { invalid, valid, type Validation } from './validation';

/** Young adults up to 25 (care leavers especially) are in scope of the partnership; 26 and over are not. */
export const maxAgeYears = 25;

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in the UK at an instant: just after midnight BST is already "tomorrow" here. */
export function londonDateOf(instant: Date): string {
  return londonDate.format(instant);
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 1000 ? date.toISOString().slice(0, 10) : undefined;
}

type ParsedDate = { kind: 'date'; iso: string } | { kind: 'not-real' } | { kind: 'short-year' } | { kind: 'unrecognised' };

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A month's number from its English name or a short form of three letters or more ("Sept", "Dec."); 0 when none. */
function monthNumber(name: string): number {
  const word = name.toLowerCase().replace(/\.$/, '');
  if (word.length < 3) return 0;
  return monthNames.findIndex((month) => month.startsWith(word)) + 1;
}

/**
 * YYYY-MM-DD; the UK order DD/MM/YYYY with / . or - between the parts; or the day, the month's name and
 * the year as people write them ("3 May 2012", "3rd May 2012", "03-May-2012", "3 Sept, 2012").
 */
export function parseCalendarDate(input: string): ParsedDate {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  const named = /^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+([a-z]+\.?),?[\s-]+(\d{2}|\d{4})$/i.exec(text);
  const month = named ? monthNumber(named[2]) : 0;
  if (named && !month) return { kind: 'unrecognised' };
  const parts = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : named ? [named[3], String(month), named[1]] : undefined;
  if (!parts) return { kind: 'unrecognised' };
  if (parts[0].length === 2) return { kind: 'short-year' };
  const value = isoDate(Number(parts[0]), Number(parts[1]), Number(parts[2]));
  return value ? { kind: 'date', iso: value } : { kind: 'not-real' };
}

/**
 * Whole years between two ISO dates. Someone born on 29 February turns a year older on 1 March in
 * other years, as UK practice has it, because 28 February still sorts before their birthday.
 */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthday ? 0 : 1);
}

function todayOf(today: Date | string): string {
  return typeof today === 'string' ? today : londonDateOf(today);
}

/**
 * A date of birth: a real date, not in the future, and under 26 on `today` (injected, so a test or a
 * replayed turn gets the same answer). `today` is an ISO date, or an instant read as UK local time.
 */
export function validateDateOfBirth(input: string, today: Date | string): Validation {
  const parsed = parseCalendarDate(input);
  switch (parsed.kind) {
    case 'unrecognised':
      return invalid('Please type the date of birth as day/month/year, for example 14/03/2012 or 14 March 2012.');
    case 'short-year':
      return invalid('Please type the year in full, for example 14/03/2012 rather than 14/03/12.');
    case 'not-real':
      return invalid('That date does not exist. Check the day and the month (day first), for example 14/03/2012.');
  }
  const now = todayOf(today);
  if (parsed.iso > now) return invalid('That date of birth is in the future. Check the year.');
  const age = ageOn(parsed.iso, now);
  if (age > maxAgeYears) {
    return invalid(`That date of birth makes them ${age}. Referrals here are for children and young people up to ${maxAgeYears}; for an adult at risk contact adult social care.`);
  }
  return valid(parsed.iso);
}

/** An age in whole years (when the date of birth is not known), from 0 to 25. */
export function validateAgeYears(input: string | number): Validation<number> {
  const text = String(input).trim();
  if (!/^\d{1,3}$/.test(text)) return invalid('Please type their age in whole years as a number, for example 14 (a best guess is fine).');
  const age = Number(text);
  if (age > maxAgeYears) {
    return invalid(`Referrals here are for children and young people up to ${maxAgeYears}; for an adult at risk contact adult social care.`);
  }
  return valid(age);
}
