import { z } from 'zod';
import type { AnswerValue } from '../../protocol';

/*
 * The optional sections of a referral (issue 21 item 2), typed one entry per message: "Test Parent,
 * mother, 40, 01632 960001, PR". Each entry is kept as typed in the draft (so a change or a resume loses
 * nothing) and read into the MASH's fields only when the body and the summary are built. Anything that is
 * not recognised as a phone, date, age, vehicle or handle stays in the entry's words, never dropped.
 */

/** One person who lives with or cares for the child. */
export interface HouseholdEntry {
  name: string;
  relationship?: string;
  dateOfBirth?: string;
  ageYears?: number;
  address?: string;
  phone?: string;
  parentalResponsibility: 'true' | 'false' | 'unknown';
}

/** A person of concern (an allegation: criminal offence data, guidance rules §3). */
export interface PersonOfConcernEntry {
  name: string;
  description?: string;
  approximateAge?: number;
  phones: string[];
  vehicles: string[];
  socialMedia: string[];
  addresses: string[];
  /** From a form (issue 21 item 2): the vehicle as its make, colour and registration fields, not read back from words. */
  vehicleParts?: Array<{ make?: string; colour?: string; registration?: string }>;
}

export interface AgencyEntry {
  agency: string;
  worker?: string;
  phone?: string;
  email?: string;
}

/** "About the child": each unknown unless given. */
export const childMoreKeys = ['knownAs', 'ethnicity', 'religion', 'firstLanguage', 'interpreterNeeded', 'communicationNeeds', 'disability'] as const;
export type ChildMoreKey = (typeof childMoreKeys)[number];

/** What the professional types before the colon, for each fact about the child. */
const childMoreWords: Array<[RegExp, ChildMoreKey]> = [
  [/^(known as|nickname|also known as|aka)$/, 'knownAs'],
  [/^(ethnicity|ethnic origin|ethnic group)$/, 'ethnicity'],
  [/^(religion|faith)$/, 'religion'],
  [/^(first language|language|main language)$/, 'firstLanguage'],
  [/^(interpreter|interpreter needed)$/, 'interpreterNeeded'],
  [/^(communication|communication needs)$/, 'communicationNeeds'],
  [/^(disability|disabilities|send)$/, 'disability'],
];

const phonePattern = /(?:\+44\s?|0)(?:\d[\s-]?){9,10}/g;
const emailPattern = /[^\s,]+@[^\s,]+\.[a-z]{2,}/i;
const ukDatePattern = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const agePattern = /^(?:age[d]?\s*|about\s*|around\s*)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s*old)?)?$/i;
const registrationPattern = /\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b/i;
const handlePattern = /@[A-Za-z0-9_.]{2,}/g;
const postcodePattern = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/i;

const partsOf = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const phonesIn = (text: string) => [...text.matchAll(phonePattern)].map((m) => m[0].trim());

function isoOf(text: string): string | undefined {
  const uk = ukDatePattern.exec(text);
  return uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : undefined;
}

function responsibilityOf(part: string): HouseholdEntry['parentalResponsibility'] | undefined {
  const p = part.toLowerCase();
  if (/^(no pr|not pr|no parental responsibility|does not have pr|without pr)$/.test(p)) return 'false';
  if (/^(pr|has pr|with pr|parental responsibility|has parental responsibility)$/.test(p)) return 'true';
  if (/^(pr unknown|pr not known|parental responsibility unknown)$/.test(p)) return 'unknown';
  return undefined;
}

/**
 * An entry a section form gave (`sectionForm.ts`): kept as JSON text beside typed entries, so the draft's
 * answers stay strings and nothing is read back by its shape (an address with commas stays one address).
 */
const cardMark = '{"card":';
export const cardEntryText = (entry: HouseholdEntry | PersonOfConcernEntry | AgencyEntry): string => JSON.stringify({ card: entry });

// What a form's entry holds, checked when read back: typed text made to look like one is read as typed.
const shortText = z.string().max(2000);
const householdEntrySchema = z.strictObject({
  name: shortText,
  relationship: shortText.optional(),
  dateOfBirth: z.iso.date().optional(),
  ageYears: z.number().int().min(0).max(120).optional(),
  address: shortText.optional(),
  phone: shortText.optional(),
  parentalResponsibility: z.enum(['true', 'false', 'unknown']),
});
const personOfConcernEntrySchema = z.strictObject({
  name: shortText,
  description: shortText.optional(),
  approximateAge: z.number().int().min(0).max(120).optional(),
  phones: z.array(shortText).max(50),
  vehicles: z.array(shortText).max(10),
  socialMedia: z.array(shortText).max(50),
  addresses: z.array(shortText).max(50),
  vehicleParts: z
    .array(z.strictObject({ make: shortText.optional(), colour: shortText.optional(), registration: shortText.optional() }))
    .max(10)
    .optional(),
});
const agencyEntrySchema = z.strictObject({ agency: shortText, worker: shortText.optional(), phone: shortText.optional(), email: shortText.optional() });

function cardEntry<T>(text: string, schema: z.ZodType<T>): T | undefined {
  if (!text.startsWith(cardMark)) return undefined;
  try {
    const parsed = z.strictObject({ card: schema }).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.card : undefined;
  } catch {
    return undefined; // typed text that happens to start like one: read as typed
  }
}

/** "Test Parent, mother, 40, 01632 960001, PR": the name first, the rest recognised by its shape. */
export function householdEntryOf(text: string): HouseholdEntry {
  const card = cardEntry(text, householdEntrySchema);
  if (card) return card;
  const [name, ...rest] = partsOf(text);
  const entry: HouseholdEntry = { name: name ?? text.trim(), parentalResponsibility: 'unknown' };
  const words: string[] = [];
  for (const part of rest) {
    const responsibility = responsibilityOf(part);
    const age = agePattern.exec(part);
    if (responsibility) entry.parentalResponsibility = responsibility;
    else if (phonesIn(part).length && !entry.phone) entry.phone = phonesIn(part)[0];
    else if (isoOf(part) && !entry.dateOfBirth) entry.dateOfBirth = isoOf(part);
    else if (age && entry.ageYears === undefined) entry.ageYears = Number(age[1]);
    else if (postcodePattern.test(part) && !entry.address) entry.address = part;
    else words.push(part);
  }
  if (words.length) entry.relationship = words.join(', ');
  return entry;
}

/** A person of concern, or (starting "place:") a place: phones, handles and registrations are picked out. */
export function concernEntryOf(text: string): PersonOfConcernEntry | { place: string } {
  const card = cardEntry(text, personOfConcernEntrySchema);
  if (card) return card;
  const place = /^\s*(place|location|address)\s*:\s*(.+)$/is.exec(text);
  if (place) return { place: place[2].trim() };
  const [name, ...rest] = partsOf(text);
  const entry: PersonOfConcernEntry = { name: name ?? text.trim(), phones: [], vehicles: [], socialMedia: [], addresses: [] };
  const words: string[] = [];
  for (const part of rest) {
    const age = agePattern.exec(part);
    if (registrationPattern.test(part)) entry.vehicles.push(part);
    else if (phonesIn(part).length) entry.phones.push(...phonesIn(part));
    else if (part.match(handlePattern)) entry.socialMedia.push(...part.match(handlePattern)!);
    else if (age && entry.approximateAge === undefined) entry.approximateAge = Number(age[1]);
    else if (postcodePattern.test(part) || /^(lives at|address|seen at)\b/i.test(part)) entry.addresses.push(part);
    else words.push(part);
  }
  if (words.length) entry.description = words.join(', ');
  return entry;
}

/** "School nurse, Test Nurse, 01632 960002": the agency, then the worker, a phone or an email. */
export function agencyEntryOf(text: string): AgencyEntry {
  const card = cardEntry(text, agencyEntrySchema);
  if (card) return card;
  const [agency, ...rest] = partsOf(text);
  const entry: AgencyEntry = { agency: agency ?? text.trim() };
  for (const part of rest) {
    if (emailPattern.test(part) && !entry.email) entry.email = emailPattern.exec(part)![0];
    else if (phonesIn(part).length && !entry.phone) entry.phone = phonesIn(part)[0];
    else entry.worker = entry.worker ? `${entry.worker}, ${part}` : part;
  }
  return entry;
}

/** "first language: Polish" → ['firstLanguage', 'Polish']; undefined when it is not one of the facts asked. */
export function childMoreEntryOf(text: string): [ChildMoreKey, string] | undefined {
  const found = /^\s*([^:]+?)\s*:\s*(.+)$/s.exec(text);
  if (!found) return undefined;
  const key = childMoreWords.find(([pattern]) => pattern.test(found[1].toLowerCase()))?.[1];
  return key ? [key, found[2].trim()] : undefined;
}

/** The entries typed so far for a section question (an array in the draft; none when not answered). */
export const entriesOf = (value: AnswerValue | undefined): string[] => (Array.isArray(value) ? value : []);
