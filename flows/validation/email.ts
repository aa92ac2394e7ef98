import { invalid, valid, type Validation } from './validation';

/**
 * Deliberately practical rather than RFC 5322 complete: a MASH replies to professionals at work
 * addresses, so we accept what such an address looks like and catch the usual slips (no @, a
 * space, a missing domain ending) with a reason the professional can act on.
 */
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function domainProblem(domain: string): string | undefined {
  const labels = domain.split('.');
  if (labels.length < 2) return 'The part after the @ needs a dot, for example name@school.gov.uk.';
  if (!labels.every((label) => domainLabel.test(label))) {
    return 'The part after the @ can only have letters, digits, dots and dashes, for example name@school.gov.uk.';
  }
  if (!/^[a-z]{2,}$/.test(labels[labels.length - 1])) return 'The address must end in a domain such as .uk or .org.';
  return undefined;
}

/** An email address; the domain (never the mailbox name, which may be case-sensitive) is lower-cased. */
export function validateEmail(input: string): Validation {
  const trimmed = input.trim();
  if (trimmed === '') return invalid('Please type an email address, for example name@school.gov.uk.');
  if (/\s/.test(trimmed)) return invalid('An email address has no spaces. Please type it again.');
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return invalid('An email address needs an @, for example name@school.gov.uk.');
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (local === '' || local.length > 64 || !localPart.test(local)) {
    return invalid('The part before the @ is not a valid mailbox name. Check for a stray character or a double dot.');
  }
  const problem = domainProblem(domain);
  if (problem) return invalid(problem);
  const value = `${local}@${domain}`;
  if (value.length > 254) return invalid('That email address is too long to be real. Please check it.');
  return valid(value);
}
