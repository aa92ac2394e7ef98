import type { ContentPack } from '../../content/packSchema';
import type { AnswerIdentity, AnswerValue, Choice } from '../../protocol';
import { choicesOf } from '../../answers';
import { draftConsentChoice, type ReferralDraft } from './referralBody';
import { referralQuestions as Q, sectionQuestions, type SectionId } from './referralQuestions';
import { childMoreEntryOf, entriesOf } from './referralSections';
import { words } from './referralWords';

/*
 * The rules of the questions issue 21 adds (the family, the child's voice, the phone, the sections), as
 * pure functions of the draft: the referral machine calls them from its guards and actions.
 */

/**
 * Consent answers that already say the family has not been asked, and why (guidance rules R2.4): the
 * family-aware question is answered from them rather than asked again.
 */
const familyFromConsentChoice: Record<string, string> = {
  'not-sought-would-increase-risk': 'no-risk',
  'not-sought-prejudice-crime': 'no-police',
};

/** The family-aware answer the consent answer gives, when it gives one. */
export function familyAwareFromConsent(draft: ReferralDraft): string | undefined {
  const consent = draftConsentChoice(draft)?.choice;
  return consent ? familyFromConsentChoice[consent] : undefined;
}

const titleOf = (pack: ContentPack, question: string, value: string) => choicesOf(pack.questions[question]).find((c) => c.value === value)?.title ?? value;

/** Said when the family answer is taken from consent, so the professional knows it was recorded. */
export function familyFromConsentMessage(pack: ContentPack, draft: ReferralDraft): string {
  const consent = draftConsentChoice(draft)!.choice;
  return words(pack, 'ref-family-from-consent', {
    reason: titleOf(pack, Q.consent, consent)
      .replace(/^[^:]*:\s*/, '')
      .toLowerCase(),
  });
}

/**
 * Shown with the family question where the route already said not to tell the parents (R2.5: abuse
 * suspected of a parent or carer), so nothing here reads as advice to tell them.
 */
export function familyRiskNote(pack: ContentPack, draft: ReferralDraft): string | undefined {
  return draft.triage?.steps.includes('do-not-tell-parent') ? words(pack, 'ref-family-risk-note') : undefined;
}

/** What the child said in quotes in their views: their own words, so they are not asked for twice. */
export function quotedWords(views: AnswerValue | undefined): string | undefined {
  if (typeof views !== 'string') return undefined;
  const quotes = [...views.matchAll(/["“]([^"”]{2,})["”]/g)].map((m) => m[1].trim());
  return quotes.length ? quotes.map((q) => `"${q}"`).join(' ') : undefined;
}

/** The phone number the sign-in profile gives, offered as "Use this number". */
export function phoneOffer(pack: ContentPack, by: AnswerIdentity | undefined): { choices: Choice[]; phoneNote?: string } {
  if (!by?.phone) return { choices: [] };
  const keep = choicesOf(pack.questions[Q.phone]).find((c) => c.value === 'keep')!;
  return { choices: [{ value: keep.value, title: keep.title }], phoneNote: words(pack, 'ref-phone-known', { phone: by.phone }) };
}

/** Whether the referral is about exploitation: then people and places of concern are offered first. */
export const isExploitation = (draft: Pick<ReferralDraft, 'screening' | 'triage'>): boolean => draft.screening !== undefined || draft.triage?.kind === 'exploitation';

const sectionOrder: SectionId[] = ['household', 'persons-of-concern', 'agencies', 'child-more'];
const exploitationOrder: SectionId[] = ['persons-of-concern', 'household', 'agencies', 'child-more'];

/** The sections in the order offered, then `skip`. */
export function sectionChoices(pack: ContentPack, draft: Pick<ReferralDraft, 'screening' | 'triage'>): Choice[] {
  const all = choicesOf(pack.questions[Q.sections]);
  const order = isExploitation(draft) ? exploitationOrder : sectionOrder;
  return [...order, 'skip'].map((value) => all.find((c) => c.value === value)!).map((c) => ({ value: c.value, title: c.title }));
}

/**
 * The check page's choices (issue 21 item 7): send, change, cancel, then each optional section not yet
 * filled in, in the order `ref-sections` offers them, so skipping them is "Send" and costs no answer. The
 * note says what they are for (people and places of concern first for exploitation).
 */
export function checkSections(pack: ContentPack, draft: Pick<ReferralDraft, 'screening' | 'triage' | 'answers'>): { choices: Choice[]; note?: string } {
  const all = choicesOf(pack.questions[Q.confirm]);
  const open = (isExploitation(draft) ? exploitationOrder : sectionOrder).filter((id) => entriesOf(draft.answers[sectionQuestions[id]]).length === 0);
  const choices = [...confirmChoices, ...open].map((value) => all.find((c) => c.value === value)!).map((c) => ({ value: c.value, title: c.title }));
  if (open.length === 0) return { choices };
  const note = [words(pack, 'ref-sections-at-check'), isExploitation(draft) ? words(pack, 'ref-sections-offered') : undefined].filter(Boolean).join(' ');
  return { choices, note };
}

const confirmChoices = ['submit', 'change', 'cancel'];

/** The sections picked, in the order offered; none for `skip`. */
export function sectionsPicked(value: AnswerValue | undefined, draft: Pick<ReferralDraft, 'screening' | 'triage'>): SectionId[] {
  const picked = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  if (picked.includes('skip')) return [];
  return (isExploitation(draft) ? exploitationOrder : sectionOrder).filter((id) => picked.includes(id));
}

/** An "about the child" entry that names none of the facts asked is read back, not kept. */
export function unreadableEntry(question: string, value: AnswerValue): boolean {
  return question === sectionQuestions['child-more'] && typeof value === 'string' && value !== 'done' && childMoreEntryOf(value) === undefined;
}

/** The words to say when an entry could not be read. */
export const unreadMessage = (pack: ContentPack): string => words(pack, 'ref-section-unread');
