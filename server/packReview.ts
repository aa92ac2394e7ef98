import { DomainError, packCurrency, type ContentPack, type PackCurrency } from '../flows';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Production runs only a pack a named safeguarding lead has signed off: an empty `reviewedBy` stops
 * start-up with one line saying how to sign it off. Outside production it is allowed (developers edit
 * the pack before anyone reviews it).
 */
export function assertPackSignedOff(pack: ContentPack, nodeEnv: Config['NODE_ENV']): void {
  if (nodeEnv !== 'production' || pack.reviewedBy.trim()) return;
  throw new DomainError(
    'SG-CONTENT-INVALID',
    `pack ${pack.id}@${pack.version} has an empty reviewedBy: production needs a pack signed off by a safeguarding lead (npm run pack:export, review it, then npm run pack:export -- --sign-off "Name, role")`,
  );
}

/**
 * Watches how current the pack is without ever stopping the service: an overdue review or a short
 * bank-holiday table is logged as an error once (and again only after it was put right and broke
 * again), and `check()` feeds the `sg_bank_holidays_expiring` gauge. Logs carry pack facts only.
 */
export function createPackCurrencyMonitor({ pack, logger, now = () => new Date() }: { pack: ContentPack; logger: Logger; now?: () => Date }) {
  const logged = { review: false, holidays: false };

  function check(): PackCurrency {
    const currency = packCurrency(pack, now());
    const facts = { pack: `${pack.id}@${pack.version}`, reviewedOn: currency.reviewedOn ?? null, bankHolidaysUntil: currency.bankHolidaysUntil ?? null };
    if (currency.reviewDue && !logged.review) {
      logger.error(facts, 'guidance pack is due for review (reviewedOn older than 12 months): professionals are shown "guidance due for review"; the service keeps running');
    }
    if (currency.bankHolidaysShort && !logged.holidays) {
      logger.error(
        facts,
        'bank-holiday table does not cover today plus 400 days: add next year to advice.json; past its end the help desk and the duty team are shown as "call either"',
      );
    }
    logged.review = currency.reviewDue;
    logged.holidays = currency.bankHolidaysShort;
    return currency;
  }

  return { check };
}

export type PackCurrencyMonitor = ReturnType<typeof createPackCurrencyMonitor>;
