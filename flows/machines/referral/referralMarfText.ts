import { choicesOf } from '../../answers';
import type { ContentPack } from '../../content/packSchema';
import type { ReferralDraft } from './referralBody';
import { referralQuestions as Q } from './referralQuestions';
import { agencyEntryOf, childMoreEntryOf, concernEntryOf, entriesOf, householdEntryOf } from './referralSections';

/*
 * The check-your-answers lines of what issue 21 adds, in plain words, keyed by question id (the labels are
 * the pack's). Section entries are shown as the MASH will read them, so a misread entry is seen and changed.
 */

type Line = [string, string | undefined];

const given = (draft: ReferralDraft, question: string): string | undefined => {
  const value = draft.answers[question];
  return typeof value === 'string' && value !== 'skip' ? value : undefined;
};

const titleOf = (pack: ContentPack, question: string, value: string | undefined) =>
  value === undefined ? undefined : (choicesOf(pack.questions[question]).find((c) => c.value === value)?.title ?? value);

const list = (items: Array<string | undefined>) => items.filter(Boolean).join(', ');

/** The family and the child's voice: after consent. */
export function familyLines(pack: ContentPack, draft: ReferralDraft): Line[] {
  const aware = given(draft, Q.familyAware);
  return [
    [Q.familyAware, titleOf(pack, Q.familyAware, aware)],
    ...(aware === 'no-other' ? [[Q.notToldReason, given(draft, Q.notToldReason)] as Line] : []),
    ...(aware === 'yes-confidential' ? [[Q.confidential, given(draft, Q.confidential)] as Line] : []),
    [Q.childViews, given(draft, Q.childViews)],
    [Q.childsWords, given(draft, Q.childsWords)],
  ];
}

function householdLine(text: string): string {
  const e = householdEntryOf(text);
  const pr = { true: 'parental responsibility', false: 'no parental responsibility', unknown: 'parental responsibility not known' }[e.parentalResponsibility];
  return list([e.name, e.relationship, e.dateOfBirth ?? (e.ageYears !== undefined ? `age ${e.ageYears}` : undefined), e.phone, e.address, pr]);
}

function concernLine(text: string): string {
  const e = concernEntryOf(text);
  if ('place' in e) return e.place;
  return list([e.name, e.approximateAge !== undefined ? `about ${e.approximateAge}` : undefined, e.description, ...e.phones, ...e.vehicles, ...e.socialMedia, ...e.addresses]);
}

function agencyLine(text: string): string {
  const e = agencyEntryOf(text);
  return list([e.agency, e.worker, e.phone, e.email]);
}

function childMoreLine(text: string): string {
  const [, value] = childMoreEntryOf(text) ?? [undefined, text];
  return `${text.split(':')[0].trim()}: ${value}`;
}

/** A section's entries as the check page words them, one line each (the record a form's card becomes). */
export function entryLines(questionId: string, entries: string[]): string[] {
  const lineOf: Record<string, (text: string) => string> = {
    [Q.household]: householdLine,
    [Q.personsOfConcern]: concernLine,
    [Q.agencies]: agencyLine,
    [Q.childMore]: childMoreLine,
  };
  return lineOf[questionId] ? entries.map(lineOf[questionId]) : entries;
}

const joined = (lines: string[]) => (lines.length ? lines.join('; ') : undefined);

/** The optional sections, one line each, only those the professional filled in. */
export function sectionLines(draft: ReferralDraft): Line[] {
  const concerns = entriesOf(draft.answers[Q.personsOfConcern]);
  const places = concerns.filter((text) => 'place' in concernEntryOf(text));
  const people = concerns.filter((text) => !places.includes(text));
  const lines: Line[] = [
    [Q.household, joined(entriesOf(draft.answers[Q.household]).map(householdLine))],
    [Q.personsOfConcern, joined(people.map(concernLine))],
    ['locations', joined(places.map(concernLine))],
    [Q.agencies, joined(entriesOf(draft.answers[Q.agencies]).map(agencyLine))],
    [Q.childMore, joined(entriesOf(draft.answers[Q.childMore]).map(childMoreLine))],
  ];
  return lines.filter(([, value]) => value !== undefined);
}

/** The referrer's phone: typed here, or the sign-in's when they chose to use it. */
export function phoneLine(draft: ReferralDraft): Line {
  return [Q.phone, given(draft, Q.phone)];
}
