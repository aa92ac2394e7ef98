import { validateNhsNumber } from './nhsNumber';
import { validateUpn } from './upn';
import { invalid, valid, type Validation } from './validation';

/** A 13-character token that starts with a letter: a UPN as typed (an NHS number is digits only). */
const upnToken = /\b[A-Za-z][0-9A-Za-z]{12}\b/;
/** Words people put between the two: "NHS 943 476 5919 and UPN M916200024001". */
const filler = /\b(nhs|upn|number|no|and)\b|[,;:&/]/gi;

/**
 * The NHS number and the UPN in one answer (issue 21 item 7), told apart by shape: each is checked as its
 * own question checks it (check digit, check letter), and the value is the checked NHS number and UPN
 * separated by a space, either alone when only one was typed.
 */
export function validateNhsNumberOrUpn(input: string): Validation {
  const upnTyped = upnToken.exec(input)?.[0];
  const upn = upnTyped ? validateUpn(upnTyped) : undefined;
  if (upn && !upn.ok) return upn;
  const rest = (upnTyped ? input.replace(upnTyped, ' ') : input).replace(filler, ' ').trim();
  if (rest === '') return upn ?? invalid('Please type the NHS number (10 digits) or the UPN (13 characters), or skip.');
  const nhs = validateNhsNumber(rest);
  if (!nhs.ok) return nhs;
  return valid(upn ? `${nhs.value} ${upn.value}` : nhs.value);
}

/** The NHS number and UPN in a value `validateNhsNumberOrUpn` returned. */
export function childIdentifiersOf(value: string): { nhs?: string; upn?: string } {
  const parts = value.split(' ');
  return { nhs: parts.find((p) => /^\d{10}$/.test(p)), upn: parts.find((p) => /^[A-Z][0-9A-Z]{12}$/.test(p)) };
}
