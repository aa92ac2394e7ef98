import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';

/**
 * Lawful bases for sharing safeguarding information (guidance rules §3), as stable codes: a record keeps
 * the codes, a professional reads the pack's words for them. Pure, so the sharing flow and the referral
 * choose a basis the same way.
 */

/** Who is sharing (question `share-org-kind`): the Art 6 basis depends on it (R3.2). */
export const orgKinds = ['public-body', 'other-organisation'] as const;
export type OrgKind = (typeof orgKinds)[number];

/** Every code this module can give; the pack must have words for each (`basis-…` messages). */
export const lawfulBasisCodes = [
  'uk-gdpr-6-1-c',
  'uk-gdpr-6-1-d',
  'uk-gdpr-6-1-e',
  'uk-gdpr-6-1-ea:annex1-3',
  'uk-gdpr-6-1-ea:annex1-5',
  'uk-gdpr-6-1-ea:annex1-6',
  'uk-gdpr-6-1-f',
  'uk-gdpr-9-2-c',
  'uk-gdpr-9-2-g+dpa-s10-3+sch1-p6',
  'uk-gdpr-9-2-g+dpa-s10-3+sch1-p10',
  'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18',
  'dpa-s10-5+sch1-p6',
  'dpa-s10-5+sch1-p10',
  'dpa-s10-5+sch1-p18+pt3-p36',
  'dpa-s10-5+sch1-p30',
] as const;
export type LawfulBasisCode = (typeof lawfulBasisCodes)[number];

export interface LawfulBasisInput {
  orgKind: OrgKind;
  /** Someone is in immediate danger: vital interests (R1.2). */
  emergency?: boolean;
  /** A law requires this report (the FGM duty; the CWSA 2026 duty once in force): legal obligation. */
  statutoryDuty?: boolean;
  /** Shared to prevent or detect a crime (with the police, or because asking would prejudice one). */
  crime?: boolean;
  /** Whether anything shared identifies anyone: if not, it is not personal data and needs no basis. */
  identifies: boolean;
}

/**
 * Art 6: a public body uses its public task, never (ea) or (f) (R3.2); any other organisation the
 * recognised legitimate interest for safeguarding (in force 5 February 2026, R3.1). A legal duty
 * replaces either; an emergency adds vital interests first.
 */
function article6(input: LawfulBasisInput): LawfulBasisCode[] {
  const publicBody = input.orgKind === 'public-body';
  if (input.emergency) return ['uk-gdpr-6-1-d', publicBody ? 'uk-gdpr-6-1-e' : 'uk-gdpr-6-1-ea:annex1-3'];
  if (input.statutoryDuty) return ['uk-gdpr-6-1-c'];
  return [publicBody ? 'uk-gdpr-6-1-e' : 'uk-gdpr-6-1-ea:annex1-6'];
}

/** Art 9 (special category information): the safeguarding condition, statute's, or vital interests. */
function article9(input: LawfulBasisInput): LawfulBasisCode {
  if (input.emergency) return 'uk-gdpr-9-2-c';
  return input.statutoryDuty ? 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p6' : 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18';
}

/** Art 10 (allegations and offences): para 18 reaches criminal offence data through Pt 3 para 36 (R3.6). */
function article10(input: LawfulBasisInput): LawfulBasisCode {
  if (input.emergency) return 'dpa-s10-5+sch1-p30';
  if (input.statutoryDuty) return 'dpa-s10-5+sch1-p6';
  return input.crime ? 'dpa-s10-5+sch1-p10' : 'dpa-s10-5+sch1-p18+pt3-p36';
}

/**
 * The codes to record for one share: the Art 6 basis (or bases), the Art 9 condition and the Art 10
 * route. Empty only when nothing identifies anyone (R3.8): "not applicable" is never right otherwise,
 * and agreement from the family is never the basis (it is transparency, R2.2).
 */
export function lawfulBasisCodesFor(input: LawfulBasisInput): LawfulBasisCode[] {
  if (!input.identifies) return [];
  return [...article6(input), article9(input), article10(input)];
}

/** The pack message that holds a code's words: `uk-gdpr-6-1-ea:annex1-6` → `basis-uk-gdpr-6-1-ea-annex1-6`. */
export function lawfulBasisMessageKey(code: string): string {
  return `basis-${code.replace(/[^a-z0-9]+/g, '-')}`;
}

/**
 * The codes as words a professional (and the MASH) can read, from the pack, in the order given; the
 * pack's "not applicable" words when there are none. An unknown code is a content error, never shown raw.
 */
export function lawfulBasisWords(pack: ContentPack, codes: readonly string[]): string {
  const wordsOf = (key: string): string => {
    const message = pack.messages[key];
    if (!message) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is not in pack ${pack.id}`);
    return message.text;
  };
  if (codes.length === 0) return wordsOf('share-basis-not-applicable');
  return codes.map((code) => wordsOf(lawfulBasisMessageKey(code))).join('; ');
}

/** The pack keys the lawful-basis words need, for start-up checks. */
export function lawfulBasisMessageKeys(): string[] {
  return ['share-basis-not-applicable', ...lawfulBasisCodes.map(lawfulBasisMessageKey)];
}
