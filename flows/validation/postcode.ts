import { invalid, valid, type Validation } from './validation';

/**
 * The UK government's bulk data transfer postcode pattern (GOV.UK, "Bulk Data Transfer: additional
 * validation", 2015), anchored, and in capitals with exactly one space because input is normalised
 * first: GIR 0AA, or an outward code (A9, A99, AA9, AA99, A9A, AA9A; no I or Z as second letter)
 * and an inward code (a digit and two letters).
 */
const govUkBulkTransferPattern = /^(GIR 0AA|([A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?) [0-9][A-Z]{2})$/;

/** Capitals, no spaces, then one space before the last three characters: "gl1  2tg" → "GL1 2TG". */
export function normalisePostcode(input: string): string {
  const compact = input.replace(/\s/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** A full UK postcode, checked for shape (not that it exists); the value is the normalised form. */
export function validatePostcode(input: string): Validation {
  const normalised = normalisePostcode(input);
  if (normalised === '') return invalid('Please type the full postcode, for example GL1 2TG.');
  if (normalised.replace(' ', '').length < 5) {
    return invalid('That looks like part of a postcode. Please type all of it, for example GL1 2TG.');
  }
  if (!govUkBulkTransferPattern.test(normalised)) {
    return invalid('That is not a UK postcode. A postcode looks like GL1 2TG or GL50 3AB: check for O typed for 0 or a missing letter.');
  }
  return valid(normalised);
}
