import { invalid, valid, type Validation } from './validation';

/**
 * A UK phone number a MASH worker can ring back: 10 or 11 digits starting 0, or +44 and the same
 * without its 0, with the spaces, dashes and brackets people type. Kept as typed (tidied), because a
 * number is read aloud and dialled by a person, not a machine.
 */
export function validatePhoneUk(input: string): Validation {
  const tidy = input.trim().replace(/\s+/g, ' ');
  const digits = tidy.replace(/[\s()-]/g, '');
  const national = digits.startsWith('+44') ? `0${digits.slice(3).replace(/^0/, '')}` : digits;
  if (!/^[0-9]+$/.test(national)) return invalid('A phone number has only digits, spaces and a leading +44. Please type it again.');
  if (!/^0\d{9,10}$/.test(national)) return invalid('Please type a UK phone number with its area code, for example 01632 960123 or 07700 900123.');
  return valid(tidy);
}
