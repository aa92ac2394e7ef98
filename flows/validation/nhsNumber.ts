import { invalid, valid, type Validation } from './validation';

const example = 'for example 943 476 5919';

/**
 * The check digit for the first nine digits of an NHS number (modulus 11, weights 10 down to 2), or
 * undefined when no tenth digit can make them valid: a remainder that gives 10 is never issued.
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  const sum = [...firstNine].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/**
 * An NHS number: 10 digits, spaces or dashes allowed (people copy "943 476 5919" from letters), the
 * last one a modulus 11 check digit. The check catches every single mistyped digit and every swap of
 * two neighbouring different digits, which are the mistakes that send a referral to the wrong child.
 */
export function validateNhsNumber(input: string): Validation {
  const compact = input.trim().replace(/[\s-]/g, '');
  if (compact === '') return invalid(`Please type the 10-digit NHS number, ${example}.`);
  if (!/^\d+$/.test(compact)) return invalid(`An NHS number is made of digits only (spaces are fine), ${example}.`);
  if (compact.length !== 10) {
    return invalid(`An NHS number has 10 digits; that has ${compact.length}. Check it against a letter or record.`);
  }
  const check = nhsCheckDigit(compact.slice(0, 9));
  if (check === undefined) {
    return invalid('That is not a valid NHS number: no NHS number starts with those nine digits. Check for a typing mistake.');
  }
  if (check !== Number(compact[9])) {
    return invalid('That NHS number does not add up: its last digit is a check digit and it does not match. Check for a mistyped or swapped digit.');
  }
  return valid(compact);
}
