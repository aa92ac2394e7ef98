import type { ReferralSection } from '../../content/referralSchema';
import { concernCategoriesV2, exploitationCategories, type ConcernCategoryV2 } from '../../referral/contract';
import type { ScreeningSummary } from '../../screening/outcome';
import type { ConcernKind, TriageSummary } from '../../vocabulary/triage';

/**
 * The concern categories a referral is filed under (review finding W7). The professional's chosen kind
 * (`concern-kind`) decides them, never weak signs: a kind that is not exploitation is filed as itself.
 * Only for exploitation do the signs say which form, and then only strong ones (the pack's
 * `referral.concernCategories[…].indicators`: trafficked → trafficking; drug running, weapons, threats or
 * debt → criminal exploitation; an adult asking for images → online; exchange, an older partner or
 * sexual signs → sexual exploitation). Drinking, gifts or friends who are exploited are risk indicators,
 * not a form of exploitation.
 *
 * When exploitation was chosen but no strong sign says which form, both `cse` and `cce` are filed and the
 * referrer is told so on the summary they confirm: naming both sends it to the exploitation team either
 * way, where `other` could let an exploitation referral miss it.
 */
export interface FiledCategories {
  categories: ConcernCategoryV2[];
  /** Exploitation was chosen and the signs did not say which form: `cse` and `cce` were both named. */
  formUnknown: boolean;
}

type KindOtherThanExploitation = Exclude<ConcernKind, 'exploitation'>;

/** Each kind that is not exploitation is its own category (the ids were made the same on purpose). */
const categoryOfKind: Record<KindOtherThanExploitation, ConcernCategoryV2> = {
  'physical-abuse': 'physical-abuse',
  'sexual-abuse': 'sexual-abuse',
  'emotional-abuse': 'emotional-abuse',
  neglect: 'neglect',
  'domestic-abuse': 'domestic-abuse',
  'child-on-child': 'child-on-child',
  radicalisation: 'radicalisation',
  fgm: 'fgm',
  'forced-marriage': 'forced-marriage',
  missing: 'missing',
  other: 'other',
};

const isExploitation = (category: ConcernCategoryV2) => (exploitationCategories as readonly string[]).includes(category);

/** The categories the strong signs point to, in contract order. */
function fromSigns(section: ReferralSection, signs: Set<string>): ConcernCategoryV2[] {
  return concernCategoriesV2.filter((category) => section.concernCategories[category].indicators.some((id) => signs.has(id)));
}

function signsOf(screening: ScreeningSummary | undefined, triage: TriageSummary | undefined): Set<string> {
  return new Set([...(screening?.indicators ?? []), ...(screening?.vulnerabilities ?? []), ...(triage?.facts ?? [])]);
}

/**
 * The categories to file. Without a triage (a referral made straight from a screening, as before
 * issue 17) the screening's strong signs decide, and `other` when none does.
 */
export function filedCategories(section: ReferralSection, screening: ScreeningSummary | undefined, triage: TriageSummary | undefined): FiledCategories {
  const kind = triage?.kind;
  if (kind && kind !== 'exploitation') return { categories: [categoryOfKind[kind]], formUnknown: false };
  const found = fromSigns(section, signsOf(screening, triage));
  if (kind === 'exploitation' && !found.some(isExploitation)) {
    const both = concernCategoriesV2.filter((c) => c === 'cse' || c === 'cce' || found.includes(c));
    return { categories: both, formUnknown: true };
  }
  return { categories: found.length ? found : ['other'], formUnknown: false };
}
