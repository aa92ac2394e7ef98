import { invalid, valid, type Validation } from './validation';

/**
 * DfE check-letter table: remainder 0 is A, 22 is Z. I, O and S are left out because they are easily
 * read as 1, 0 and 5; a temporary UPN's final letter takes its value from the same table.
 */
export const upnCheckLetters = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const shape = /^[A-Z]\d{11}[0-9A-Z]$/;

function characterValue(character: string): number {
  return /\d/.test(character) ? Number(character) : upnCheckLetters.indexOf(character);
}

/**
 * The check letter for the last twelve characters of a UPN (characters 2 to 13 weighted 2 to 13,
 * summed, modulus 23), or undefined when they are not 11 digits and a final digit or table letter.
 */
export function upnCheckLetter(lastTwelve: string): string | undefined {
  if (!/^\d{11}[0-9A-Z]$/.test(lastTwelve)) return undefined;
  const values = [...lastTwelve].map(characterValue);
  if (values.some((v) => v < 0)) return undefined;
  const sum = values.reduce((total, value, i) => total + value * (i + 2), 0);
  return upnCheckLetters[sum % 23];
}

/** A temporary UPN (given while a school waits for the permanent one) ends in a letter. */
export function isTemporaryUpn(upn: string): boolean {
  return /[A-Z]$/.test(upn.trim().toUpperCase());
}

function shapeProblem(compact: string): string | undefined {
  if (compact.length !== 13) {
    return `A UPN has 13 characters: a letter, 11 digits, then a digit or a letter; that has ${compact.length}.`;
  }
  if (/[IOS]/.test(compact)) {
    return 'UPNs never use the letters I, O or S (they are easily confused with 1, 0 and 5). Check those characters.';
  }
  if (!shape.test(compact)) return 'A UPN is a letter, 11 digits, then a digit or a letter, for example M916200024001.';
  return undefined;
}

/**
 * A Unique Pupil Number (DfE): check letter, LA code (3), establishment (4), year (2), serial (3).
 * Case and spaces are ignored; the value returned is the 13 characters in capitals.
 */
export function validateUpn(input: string): Validation {
  const compact = input.trim().replace(/\s/g, '').toUpperCase();
  if (compact === '') return invalid('Please type the 13-character UPN, for example M916200024001.');
  const problem = shapeProblem(compact);
  if (problem) return invalid(problem);
  const expected = upnCheckLetter(compact.slice(1));
  if (expected === undefined) {
    return invalid('The last character of a temporary UPN must be a letter other than I, O or S. Check it against the school record.');
  }
  if (expected !== compact[0]) {
    return invalid('That UPN does not add up: its first letter is a check letter and it does not match the rest. Check for a mistyped character.');
  }
  return valid(compact);
}
