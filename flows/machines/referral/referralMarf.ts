import { choicesOf } from '../../answers';
import type { ContentPack } from '../../content/packSchema';
import type { AnswerValue } from '../../protocol';
import type { AgencyContact, HouseholdMember, MarfFields, PersonOfConcern, Place } from '../../referral/contract';
import { validatePostcode } from '../../validation/postcode';
import { householdReferenceKey, referralQuestions as Q } from './referralQuestions';
import { agencyEntryOf, childMoreEntryOf, concernEntryOf, entriesOf, householdEntryOf, type HouseholdEntry, type PersonOfConcernEntry } from './referralSections';
import { words } from './referralWords';

/*
 * The draft's answers as the contract's MARF fields (issue 21 item 1): what the body (version 2) and the
 * referral record carry. Built from the answers each time, so a change on the check page is what is sent.
 */

type Answers = Record<string, AnswerValue>;

const given = (answers: Answers, question: string): string | undefined => {
  const value = answers[question];
  return typeof value === 'string' && value !== 'skip' && value.trim() !== '' ? value.trim() : undefined;
};

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

const postcodeIn = (text: string): string | undefined => {
  const found = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/i.exec(text);
  const valid = found ? validatePostcode(found[0]) : undefined;
  return valid?.ok ? valid.value : undefined;
};

const place = (description: string): Place => ({ description: clip(description, 500), ...(postcodeIn(description) ? { postcode: postcodeIn(description) } : {}) });

const responsibility = { true: true, false: false, unknown: 'unknown' } as const;

function householdMember(entry: HouseholdEntry, unknown: string): HouseholdMember {
  return {
    name: clip(entry.name, 200),
    relationship: clip(entry.relationship ?? unknown, 100),
    ...(entry.dateOfBirth ? { dateOfBirth: entry.dateOfBirth } : entry.ageYears !== undefined ? { ageYears: entry.ageYears } : {}),
    ...(entry.address ? { address: { line1: clip(entry.address, 200), ...(postcodeIn(entry.address) ? { postcode: postcodeIn(entry.address) } : {}) } } : {}),
    ...(entry.phone ? { phone: entry.phone } : {}),
    parentalResponsibility: responsibility[entry.parentalResponsibility],
  };
}

const colours = /\b(black|white|silver|grey|gray|red|blue|green|yellow|orange|purple|brown|gold|maroon)\b/i;
const registration = /\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b/i;

/** "silver Ford Focus AB12 CDE": the registration, the colour, and the rest as the make. */
function vehicle(text: string) {
  const reg = registration.exec(text)?.[0];
  const colour = colours.exec(text)?.[0];
  const make = text
    .replace(reg ?? '', '')
    .replace(colour ?? '', '')
    .replace(/\s+/g, ' ')
    .trim();
  return { ...(make ? { make: clip(make, 100) } : {}), ...(colour ? { colour } : {}), ...(reg ? { registration: reg.toUpperCase() } : {}) };
}

function personOfConcern(entry: PersonOfConcernEntry): PersonOfConcern {
  return {
    name: clip(entry.name, 200),
    ...(entry.description ? { description: clip(entry.description, 2000) } : {}),
    ...(entry.approximateAge !== undefined ? { approximateAge: entry.approximateAge } : {}),
    ...(entry.phones.length ? { phones: entry.phones.slice(0, 10) } : {}),
    ...(entry.vehicleParts?.length ? { vehicles: entry.vehicleParts.slice(0, 10) } : entry.vehicles.length ? { vehicles: entry.vehicles.slice(0, 10).map(vehicle) } : {}),
    ...(entry.socialMedia.length ? { socialMedia: entry.socialMedia.slice(0, 20) } : {}),
    ...(entry.addresses.length ? { places: entry.addresses.slice(0, 20).map(place) } : {}),
  };
}

function agencyContact(text: string): AgencyContact {
  const entry = agencyEntryOf(text);
  return {
    agency: clip(entry.agency, 200),
    ...(entry.worker ? { worker: clip(entry.worker, 200) } : {}),
    ...(entry.phone ? { phone: entry.phone } : {}),
    ...(entry.email ? { email: entry.email } : {}),
  };
}

function childMore(answers: Answers): MarfFields['child'] {
  const child: NonNullable<MarfFields['child']> = {};
  for (const text of entriesOf(answers[Q.childMore])) {
    const found = childMoreEntryOf(text);
    if (!found) continue;
    const [key, value] = found;
    if (key === 'interpreterNeeded') child.interpreterNeeded = /^(yes|y|needed|true)\b/i.test(value) ? true : /^(no|n|not needed|false)\b/i.test(value) ? false : 'unknown';
    else child[key] = clip(value, key === 'communicationNeeds' || key === 'disability' ? 2000 : 100);
  }
  return Object.keys(child).length ? child : undefined;
}

const titleOf = (pack: ContentPack, question: string, value: string) => choicesOf(pack.questions[question]).find((c) => c.value === value)?.title ?? value;

/** "No: telling them could …" → "Telling them could …": the reason without the answer. */
const reasonOfChoice = (title: string) => {
  const reason = title.replace(/^[^:]*:\s*/, '');
  return reason.charAt(0).toUpperCase() + reason.slice(1);
};

/** Whether the family knows, why not, and what must not reach them (guidance rules R2.4). */
function family(pack: ContentPack, answers: Answers): Pick<MarfFields, 'familyAware' | 'reasonNotTold' | 'confidentialFromFamily'> {
  const aware = given(answers, Q.familyAware);
  if (!aware) return {};
  if (aware === 'yes') return { familyAware: 'yes' };
  if (aware === 'yes-confidential') {
    const what = given(answers, Q.confidential);
    const [before, after] = what?.split(/\bbecause\b/i) ?? [];
    return {
      familyAware: 'yes',
      ...(what ? { confidentialFromFamily: { what: clip(before.replace(/[\s,;:-]+$/, '') || what, 2000), why: clip(after?.trim() || what, 2000) } } : {}),
    };
  }
  // Not told: the reason is the choice (risk, a police inquiry) or what was typed; the whole referral is kept from them.
  const reason = aware === 'no-other' ? (given(answers, Q.notToldReason) ?? words(pack, 'ref-not-given')) : reasonOfChoice(titleOf(pack, Q.familyAware, aware));
  return { familyAware: 'no', reasonNotTold: clip(reason, 2000), confidentialFromFamily: { what: words(pack, 'ref-confidential-whole'), why: clip(reason, 2000) } };
}

/** The MARF fields the answers give; undefined when none does (the body stays as it was). */
export function draftMarf(pack: ContentPack, answers: Answers): MarfFields | undefined {
  const concerns = entriesOf(answers[Q.personsOfConcern]).map(concernEntryOf);
  const people = concerns.filter((e): e is PersonOfConcernEntry => !('place' in e));
  const places = concerns.flatMap((e) => ('place' in e ? [place(e.place)] : []));
  const household = entriesOf(answers[Q.household]).map((text) => householdMember(householdEntryOf(text), words(pack, 'ref-relationship-unknown')));
  const agencies = entriesOf(answers[Q.agencies]).map(agencyContact);
  const phone = given(answers, Q.phone);
  const views = given(answers, Q.childViews);
  const childsWords = given(answers, Q.childsWords);
  const child = childMore(answers);
  const marf: MarfFields = {
    ...(phone ? { referrer: { phone } } : {}),
    ...(child ? { child } : {}),
    ...(household.length ? { household: household.slice(0, 20) } : {}),
    ...family(pack, answers),
    ...(views ? { views: { child: clip(views, 5000) } } : {}),
    ...(childsWords ? { childsWords: clip(childsWords, 5000) } : {}),
    ...(people.length ? { personsOfConcern: people.slice(0, 20).map(personOfConcern) } : {}),
    ...(places.length ? { locations: places.slice(0, 50) } : {}),
    ...(agencies.length ? { agencyContacts: agencies.slice(0, 50) } : {}),
    ...(typeof answers[householdReferenceKey] === 'string' ? { householdReference: answers[householdReferenceKey] } : {}),
  };
  return Object.keys(marf).length ? marf : undefined;
}
