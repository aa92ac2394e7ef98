import type { ContentPack } from '../../content/packSchema';
import type { MarfFields } from '../../referral/contract';
import { words } from './referralWords';

/**
 * The MARF answers (issue 21) in plain words, one line per answer, every label from the pack
 * (`marf-label-*`, `marf-value-*`): for "my referrals" and the copy of a referral a version 1 MASH could
 * not take in full. Values are what the referrer typed; only yes/no/unknown are put into words.
 */

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const label = (pack: ContentPack, name: string) => words(pack, `marf-label-${kebab(name)}`);

/** The pack keys these lines can use: a start-up or test check that the pack has them all. */
export const marfTextKeys = [
  ...['referrer-availability', 'referrer-phone'],
  ...['known-as', 'ethnicity', 'religion', 'first-language', 'interpreter-needed', 'communication-needs', 'disability'].map((k) => `child-${k}`),
  ...['views-child', 'views-parents', 'confidential-from-family-what', 'confidential-from-family-why'],
  ...['family-aware', 'reason-not-told', 'childs-words', 'actions-taken', 'police-reference', 'household-reference'],
  ...['household', 'persons-of-concern', 'locations', 'agency-contacts'],
  ...['name', 'relationship', 'date-of-birth', 'age-years', 'address', 'phone', 'parental-responsibility', 'description', 'approximate-age', 'phones', 'vehicles'],
  ...['social-media', 'places', 'postcode', 'line1', 'town', 'make', 'colour', 'registration', 'agency', 'worker', 'email'],
]
  .map((k) => `marf-label-${k}`)
  .concat(['marf-value-true', 'marf-value-false', 'marf-value-unknown', 'marf-value-yes', 'marf-value-no']);

function value(pack: ContentPack, v: unknown): string {
  if (typeof v === 'boolean' || v === 'unknown' || v === 'yes' || v === 'no') return words(pack, `marf-value-${String(v)}`);
  if (Array.isArray(v)) return v.map((item) => value(pack, item)).join(' | ');
  if (v !== null && typeof v === 'object') {
    return Object.entries(v)
      .filter(([, inner]) => inner !== undefined)
      .map(([name, inner]) => `${label(pack, name)}: ${value(pack, inner)}`)
      .join('; ');
  }
  return String(v);
}

/** One line per answer given; nothing for an empty list or object. */
export function marfLines(pack: ContentPack, marf: MarfFields): string[] {
  const lines: string[] = [];
  for (const [name, given] of Object.entries(marf)) {
    if (given === undefined) continue;
    if (Array.isArray(given)) {
      given.forEach((item, i) => lines.push(`${label(pack, name)} ${i + 1}: ${value(pack, item)}`));
    } else if (given !== null && typeof given === 'object') {
      for (const [inner, v] of Object.entries(given)) if (v !== undefined) lines.push(`${label(pack, `${name}-${kebab(inner)}`)}: ${value(pack, v)}`);
    } else {
      lines.push(`${label(pack, name)}: ${value(pack, given)}`);
    }
  }
  return lines;
}
