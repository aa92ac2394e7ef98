import { choicesOf } from '../../answers';
import type { ContentPack } from '../../content/packSchema';
import type { ReferralSection } from '../../content/referralSchema';
import { DomainError } from '../../errors';
import type { Choice, OutgoingMessage } from '../../protocol';
import { concernCategories, type Urgency } from '../../referral/contract';
import { categoryHeading } from '../../screening/outcome';
import { categoryRaiseNote, consentCorrectionNote, raiseNote } from './referralRaise';
import {
  assessedCategory,
  assessedUrgency,
  referralCategory,
  consentChoices,
  draftCategories,
  draftChild,
  draftConsentChoice,
  referralBasis,
  referralUrgency,
  type ReferralDraft,
} from './referralBody';
import { referrerLines } from '../identityQuestions';
import { factsWords } from '../triage/triageCorrections';
import { changeableQuestions, isSectionQuestion, raiseCategoryChoice, raiseChoice, referralQuestions as Q } from './referralQuestions';
import { words } from './referralWords';
import { familyLines, phoneLine, sectionLines } from './referralMarfText';
import { questionFormMessageKeys } from './questionForm';

const messageKeys = [
  'ref-screening-first',
  'ref-intro',
  'ref-intro-immediate',
  'ref-summary-prefill',
  'ref-consent-carried',
  'ref-consent-details',
  'ref-dob-unknown',
  'ref-not-given',
  'ref-filed',
  'ref-filed-immediate',
  'ref-cancelled',
  'ref-categories-unsure',
  'ref-override-rationale',
  'ref-override-corrected',
  'ref-resumed',
  'ref-resume-busy',
  'ref-phone-known',
  'ref-family-risk-note',
  'ref-family-from-consent',
  'ref-section-added',
  'ref-section-unread',
  'ref-sections-offered',
  'ref-sections-at-check',
  'ref-confidential-whole',
  'ref-relationship-unknown',
  'ref-urgency-raised',
  'ref-category-raised',
  'ref-consent-corrected',
  'ref-sibling-start',
];
const labelKeys = [...changeableQuestions, raiseChoice, raiseCategoryChoice, 'locations', 'concern-categories', 'screening', 'urgency', 'lawful-basis', 'override-correction'];

function missing(what: string): never {
  throw new DomainError('SG-CONTENT-INVALID', `${what} is needed by the referral flow`);
}

/** The pack's referral section and the screening words it reads; a pack without them stops start-up. */
export function referralSectionOf(pack: ContentPack): ReferralSection {
  if (!pack.referral) missing(`the referral section of pack ${pack.id}`);
  if (!pack.screening) missing(`the screening section of pack ${pack.id}`);
  return pack.referral;
}

/** Every word this flow can use, and consent choices that match the contract's statuses and reasons. */
export function checkReferralPack(pack: ContentPack): void {
  const section = referralSectionOf(pack);
  const key = [...messageKeys, ...questionFormMessageKeys].find((k) => !pack.messages[k]);
  if (key) missing(`message "${key}"`);
  const label = labelKeys.find((k) => !section.labels[k]);
  if (label) missing(`referral label "${label}"`);
  const offered = (pack.questions[Q.consent]?.choices ?? []).map((c) => c.value).sort();
  if (JSON.stringify(offered) !== JSON.stringify(Object.keys(consentChoices).sort())) {
    missing(`exactly the consent choices ${Object.keys(consentChoices).join(', ')} (question ${Q.consent})`);
  }
  if (!pack.questions[Q.summary]?.choices?.some((c) => c.value === 'keep')) missing(`a "keep" choice of ${Q.summary}`);
}

/** The screening's category, when one ran (or an override fixed one); undefined otherwise. */
function categoryLine(pack: ContentPack, draft: ReferralDraft): string | undefined {
  const category = referralCategory(draft) ?? draft.triage?.overrides.category ?? draft.triage?.category;
  if (category === undefined) return undefined;
  const heading = categoryHeading(category as Parameters<typeof categoryHeading>[0], pack.screening!);
  const note = categoryRaiseNote(pack, assessedCategory(draft), draft.answers);
  return note ? `${heading} (${note})` : heading;
}

/** The opening: at immediate urgency it leads with the phone call, because a form must not delay one. */
export function introMessage(pack: ContentPack, draft: ReferralDraft): OutgoingMessage {
  const urgency = referralUrgency(draft);
  const key = urgency === 'immediate' ? 'ref-intro-immediate' : 'ref-intro';
  return { text: words(pack, key, { category: categoryLine(pack, draft) ?? referralSectionOf(pack).urgencies[urgency] }) };
}

/** The screening narrative, offered back as the concern summary (it must fit the contract: 10–5000 characters). */
export function usableNarrative(narrative: string | undefined): string | undefined {
  const text = narrative?.trim();
  return text && text.length >= 10 && text.length <= 5000 ? text : undefined;
}

export function summaryNote(pack: ContentPack, narrative: string): string {
  return words(pack, 'ref-summary-prefill', { narrative });
}

export function keepChoice(pack: ContentPack): Choice {
  const keep = pack.questions[Q.summary].choices!.find((c) => c.value === 'keep')!;
  return { value: keep.value, title: keep.title };
}

function choiceTitle(pack: ContentPack, question: string, value: string): string | undefined {
  const found = pack.questions[question];
  return found ? choicesOf(found).find((c) => c.value === value)?.title : undefined;
}

const ukDate = (iso: string) => iso.split('-').reverse().join('/');

function childLines(pack: ContentPack, draft: ReferralDraft): Array<[string, string | undefined]> {
  const child = draftChild(draft);
  const dob = child.dateOfBirth ? ukDate(child.dateOfBirth) : words(pack, 'ref-dob-unknown', { age: String(child.ageYears ?? '') });
  return [
    [Q.firstName, child.firstName],
    [Q.lastName, child.lastName],
    [Q.dob, dob],
    [Q.nhs, child.nhsNumber],
    [Q.upn, child.upn],
    [Q.postcode, child.address?.postcode],
    [Q.school, child.school],
  ];
}

function consentLine(pack: ContentPack, draft: ReferralDraft): string | undefined {
  const found = draftConsentChoice(draft);
  const title = found ? choiceTitle(pack, Q.consent, found.choice) : undefined;
  if (title && found?.carried) return words(pack, 'ref-consent-carried', { consent: title });
  const corrected = consentCorrectionNote(pack, draft.answers);
  return title && corrected ? `${title} (${corrected})` : title;
}

/** Who is referring, in the words of the choice (answered here or carried from the sharing decision). */
function orgKindLine(pack: ContentPack, draft: ReferralDraft): string | undefined {
  const kind = draft.consent?.orgKind ?? draft.answers[Q.orgKind];
  return typeof kind === 'string' ? choiceTitle(pack, Q.orgKind, kind) : undefined;
}

/**
 * The categories the MASH will receive, in words, so the referrer confirms them (finding W7); when the
 * form of exploitation was not clear from the signs, the line says both are named and why.
 */
function categoriesLine(pack: ContentPack, draft: ReferralDraft): string {
  const section = referralSectionOf(pack);
  const filed = draftCategories(pack, draft);
  const labels = filed.categories.map((c) => section.concernCategories[c].label).join('; ');
  return filed.formUnknown ? `${labels} (${words(pack, 'ref-categories-unsure')})` : labels;
}

/** An override answer the professional corrected (issue 17 item 2): on the record they check, in words. */
function correctionLines(pack: ContentPack, draft: ReferralDraft): Array<[string, string]> {
  return (draft.triage?.corrections ?? []).map((c) => [
    'override-correction',
    words(pack, 'ref-override-corrected', { before: factsWords(pack, c.originalFacts), after: factsWords(pack, c.facts) }),
  ]);
}

/** The urgency, and when the professional raised it, from what and why. */
function urgencyLine(pack: ContentPack, draft: ReferralDraft): string {
  const section = referralSectionOf(pack);
  const urgency = section.urgencies[referralUrgency(draft)];
  const note = raiseNote(pack, assessedUrgency(draft), draft.answers);
  return note ? `${urgency} (${note})` : urgency;
}

/** Everything the MASH will receive, one line each, for the professional to check before sending. */
export function reviewText(pack: ContentPack, draft: ReferralDraft): string {
  const section = referralSectionOf(pack);
  const lines: Array<[string, string | undefined]> = [
    ...childLines(pack, draft),
    [Q.summary, typeof draft.answers[Q.summary] === 'string' ? String(draft.answers[Q.summary]) : undefined],
    ['concern-categories', categoriesLine(pack, draft)],
    ...(categoryLine(pack, draft) ? [['screening', categoryLine(pack, draft)] as [string, string]] : []),
    ['urgency', urgencyLine(pack, draft)],
    ...correctionLines(pack, draft),
    [Q.consent, consentLine(pack, draft)],
    [Q.orgKind, orgKindLine(pack, draft)],
    ['lawful-basis', referralBasis(pack, section, draft).words],
    ...referrerLines(draft),
    phoneLine(draft),
    ...familyLines(pack, draft),
    ...sectionLines(draft),
  ];
  return reviewLines(pack, lines);
}

/** "- Label: value" per line, labels from the pack, "Not given" for what is missing. */
export function reviewLines(pack: ContentPack, lines: Array<[string, string | undefined]>): string {
  const section = referralSectionOf(pack);
  const none = words(pack, 'ref-not-given');
  return lines.map(([key, value]) => `- ${section.labels[key] ?? key}: ${value ?? none}`).join('\n');
}

/** The answers that can be changed: those the professional gave here (not the ones the sign-in or a decision gave). */
export function changeChoices(pack: ContentPack, draft: ReferralDraft): Choice[] {
  const section = referralSectionOf(pack);
  // A section can be added from here even when it was skipped (issue 21 item 3).
  const answers = changeableQuestions.filter((q) => draft.answers[q] !== undefined || isSectionQuestion(q)).map((q) => ({ value: q, title: section.labels[q] }));
  // The urgency and the category can be raised, never lowered: each offered until it is at the top.
  const category = referralCategory(draft);
  return [
    ...answers,
    ...(referralUrgency(draft) === 'immediate' ? [] : [{ value: raiseChoice, title: section.labels[raiseChoice] }]),
    ...(category === undefined || category >= 4 ? [] : [{ value: raiseCategoryChoice, title: section.labels[raiseCategoryChoice] }]),
  ];
}

/** The result: queued, with our reference; at immediate urgency the phone call comes first. */
export function filedMessage(pack: ContentPack, clientReference: string, urgency: Urgency): OutgoingMessage {
  const parts = [urgency === 'immediate' ? words(pack, 'ref-filed-immediate') : undefined, words(pack, 'ref-filed', { clientReference })];
  return {
    text: parts.filter(Boolean).join('\n\n'),
    value: { type: 'safeguarding.referralFiled', clientReference, status: 'queued' },
  };
}

/** Concern categories as choices (the intelligence flow's themes), in contract order, in the pack's words. */
export function categoryChoices(pack: ContentPack): Choice[] {
  const section = referralSectionOf(pack);
  return concernCategories.map((value) => ({ value, title: section.concernCategories[value].label }));
}
