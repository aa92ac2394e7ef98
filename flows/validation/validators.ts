import { validateNhsNumberOrUpn } from './childIdentifiers';
import { validateAgeYears, validateDateOfBirth } from './dateOfBirth';
import { validateEmail } from './email';
import { validateNhsNumber } from './nhsNumber';
import { validatePhoneUk } from './phone';
import { validatePostcode } from './postcode';
import { validateUpn } from './upn';
import type { Validation } from './validation';

/** The validators a pack question can name (`validator`); part of the pack contract. */
export const validatorIds = ['nhs-number', 'upn', 'postcode', 'email', 'date-of-birth', 'age-years', 'phone-uk', 'nhs-number-or-upn'] as const;
export type ValidatorId = (typeof validatorIds)[number];

/**
 * Each validator takes what was typed and the turn's time (`TurnMeta.now`: a date of birth is checked
 * against the bot layer's clock, never the system's, so a replayed turn gets the same answer).
 */
export const validators: Record<ValidatorId, (text: string, now: Date) => Validation<string | number>> = {
  'nhs-number': (text) => validateNhsNumber(text),
  upn: (text) => validateUpn(text),
  postcode: (text) => validatePostcode(text),
  email: (text) => validateEmail(text),
  'date-of-birth': (text, now) => validateDateOfBirth(text, now),
  'age-years': (text) => validateAgeYears(text),
  'phone-uk': (text) => validatePhoneUk(text),
  'nhs-number-or-upn': (text) => validateNhsNumberOrUpn(text),
};
