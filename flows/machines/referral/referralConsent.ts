import type { ContentPack } from '../../content/packSchema';
import type { ReferralSection } from '../../content/referralSchema';
import { DomainError } from '../../errors';
import type { AnswerValue } from '../../protocol';
import type { MarfFields, ReferralConsentV2 } from '../../referral/contract';
import { lawfulBasisCodesFor, lawfulBasisWords, orgKinds, type OrgKind } from '../sharing/lawfulBasis';
import type { ConsentCarry } from '../sharing/sharingDecision';
import { referralQuestions as Q } from './referralQuestions';
import { words } from './referralWords';
import { consentCorrectionNote } from './referralRaise';

/**
 * Status and reason of each choice of `ref-consent-status`; the pack's choices must be exactly these.
 * `not-sought-risk-of-harm` is the 2024 ground itself (guidance rules R2.1, finding W6): a child at risk
 * or perceived risk of harm is referred without needing consent. It needs contract version 2.
 */
export const consentChoices = {
  given: { status: 'given' },
  'not-sought-risk-of-harm': { status: 'not-sought', overrideReason: 'risk-of-harm' },
  'not-sought-would-increase-risk': { status: 'not-sought', overrideReason: 'would-increase-risk' },
  'not-sought-prejudice-crime': { status: 'not-sought', overrideReason: 'prejudice-crime' },
  'not-sought-cannot-consent': { status: 'not-sought', overrideReason: 'cannot-consent' },
  'not-sought-not-reasonable': { status: 'not-sought', overrideReason: 'not-reasonable' },
  'refused-overridden-refusal': { status: 'refused', overrideReason: 'overridden-refusal' },
  'refused-would-increase-risk': { status: 'refused', overrideReason: 'would-increase-risk' },
} as const satisfies Record<string, Pick<ReferralConsentV2, 'status' | 'overrideReason'>>;

export type ConsentChoice = keyof typeof consentChoices;

export const isConsentChoice = (value: unknown): value is ConsentChoice => typeof value === 'string' && value in consentChoices;

/**
 * The consent answer a sharing decision already gives: consent given, or shared without it for a
 * recorded reason. A refusal set aside because the child is at risk of harm is the existing
 * "refused, but at risk" choice. Any other decision (seek consent, do not share, not identifying)
 * leaves it to ask.
 */
export function carriedConsentChoice(carry: ConsentCarry | undefined): ConsentChoice | undefined {
  if (!carry) return undefined;
  if (carry.status === 'given') return 'given';
  if (carry.outcome !== 'share-without-consent' || !carry.reason) return undefined;
  const reason: string = carry.reason;
  if (carry.status === 'refused' && reason === 'risk-of-harm') return 'refused-overridden-refusal';
  const value = `${carry.status === 'refused' ? 'refused' : 'not-sought'}-${reason}`;
  return isConsentChoice(value) ? value : undefined;
}

const orgKindQuestion = 'share-org-kind';
const isOrgKind = (value: unknown): value is OrgKind => (orgKinds as readonly unknown[]).includes(value);

/**
 * The codes for referring a child at risk without relying on consent (R3.8), chosen exactly as the
 * sharing flow chooses them: a referral identifies a child, so never "not applicable".
 */
export function referralLawfulBasisCodes(orgKind: OrgKind): string[] {
  return lawfulBasisCodesFor({ orgKind, identifies: true });
}

const maxBasisWords = 500; // `consent.lawfulBasis` in the MASH contract

/** The lawful basis a referral states: words always, codes when the kind of organisation is known. */
export interface ReferralBasis {
  words: string;
  codes?: string[];
  orgKind?: OrgKind;
}

/**
 * The basis from the sharing decision when it gave one (its codes and words), else from the kind of
 * organisation when the conversation asked it (the sharing flow's words for the same codes), else the pack's words naming both possible Art 6 bases
 * (a referral never waits on it: R2.8). Never "not applicable": a referral identifies a child.
 */
export function referralBasis(
  pack: ContentPack,
  section: ReferralSection,
  draft: { answers: Record<string, AnswerValue>; consent?: ConsentCarry; marf?: MarfFields },
): ReferralBasis {
  const basis = referralBasisFor(pack, section, draft);
  return draft.marf?.personsOfConcern?.length ? withArticle10(basis) : basis;
}

/** Art 10 codes start so (DPA 2018 s10(5) with a Sch 1 condition). */
const isArticle10 = (code: string) => code.startsWith('dpa-s10-5');

/**
 * Persons of concern are allegations of offences: criminal offence data (UK GDPR Art 10), so the record
 * names its route (guidance rules §3). The sharing flow's codes already carry one; otherwise the route
 * it would choose for a safeguarding share, Sch 1 para 18 through Pt 3 para 36 (R3.6), which does not
 * depend on the kind of organisation: never one of our own making. The words need no change: the pack's
 * referral basis (`referral.lawfulBasis`) already names that route for criminal offence data.
 */
function withArticle10(basis: ReferralBasis): ReferralBasis {
  if (basis.codes?.some(isArticle10)) return basis;
  const route = lawfulBasisCodesFor({ orgKind: 'public-body', identifies: true }).filter(isArticle10);
  return { ...basis, codes: [...(basis.codes ?? []), ...route] };
}

function referralBasisFor(pack: ContentPack, section: ReferralSection, draft: { answers: Record<string, AnswerValue>; consent?: ConsentCarry }): ReferralBasis {
  const carried: Partial<ConsentCarry> = draft.consent ?? {};
  const orgKind = isOrgKind(carried.orgKind) ? carried.orgKind : isOrgKind(draft.answers[orgKindQuestion]) ? draft.answers[orgKindQuestion] : undefined;
  const carriedCodes = Array.isArray(carried.lawfulBasisCodes) && carried.lawfulBasisCodes.length ? carried.lawfulBasisCodes.map(String) : undefined;
  const carriedWords = typeof carried.lawfulBasis === 'string' && carried.lawfulBasis.length <= maxBasisWords ? carried.lawfulBasis : undefined;
  if (carriedCodes && carriedWords) return { words: carriedWords, codes: carriedCodes, ...(orgKind ? { orgKind } : {}) };
  if (orgKind) {
    const codes = referralLawfulBasisCodes(orgKind);
    return { words: lawfulBasisWords(pack, codes), codes, orgKind };
  }
  return { words: section.lawfulBasis.text };
}

/** The consent choice: answered here, or taken from the sharing decision (then `carried`). */
export function draftConsentChoice(draft: { answers: Record<string, AnswerValue>; consent?: ConsentCarry }): { choice: ConsentChoice; carried: boolean } | undefined {
  const answered = draft.answers[Q.consent];
  if (isConsentChoice(answered)) return { choice: answered, carried: false };
  const carried = carriedConsentChoice(draft.consent);
  return carried ? { choice: carried, carried: true } : undefined;
}

/** The consent block of a referral, in its version 2 shape (the body drops what version 1 cannot carry). */
export function draftConsent(
  pack: ContentPack,
  section: ReferralSection,
  draft: { answers: Record<string, AnswerValue>; consent?: ConsentCarry; marf?: MarfFields },
): ReferralConsentV2 {
  const found = draftConsentChoice(draft);
  if (!found) throw new DomainError('SG-INTERNAL', 'a referral was built before consent was answered');
  const { status, overrideReason } = consentChoices[found.choice] as Pick<ReferralConsentV2, 'status' | 'overrideReason'>;
  const details = found.carried && draft.consent ? words(pack, 'ref-consent-details', { decisionId: draft.consent.decisionId }) : consentCorrectionNote(pack, draft.answers);
  const basis = referralBasis(pack, section, draft);
  return {
    status,
    ...(overrideReason ? { overrideReason } : {}),
    ...(details ? { details } : {}),
    lawfulBasis: basis.words,
    ...(basis.codes ? { lawfulBasisCodes: basis.codes } : {}),
  };
}
