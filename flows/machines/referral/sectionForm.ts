import { z } from 'zod';
import type { ContentPack } from '../../content/packSchema';
import type { QuestionForm } from '../../protocol';
import { DomainError } from '../../errors';
import {
  addressSchema,
  agencyContactSchema,
  householdMemberSchema,
  marfFieldsSchema,
  personOfConcernSchema,
  phoneMaxLength,
  placeSchema,
  vehicleSchema,
} from '../../referral/contract';
import { blocksOf as formBlocksOf, field, formFieldsOf, formMessageKeys, formReading, formValueMaxLength, type Block, type FieldDef, type FormReading } from './formKit';
import { entryLines } from './referralMarfText';
import { sectionQuestions, type SectionId } from './referralQuestions';
import { cardEntryText, type AgencyEntry, type HouseholdEntry, type PersonOfConcernEntry } from './referralSections';
import { words } from './referralWords';

/*
 * A section of the referral as one form (issue 21 item 2): where the channel can show inputs (an
 * Adaptive Card in Teams, the form under the question in Web Chat), a section is answered in one submit
 * instead of one typed entry per message. Each filled block is checked field by field against the
 * contract's own zod schema; on any error nothing is added and the form comes back with what was typed
 * and an error beside each field that needs changing. Accepted blocks become the section's entries, kept
 * in the draft like typed ones (`cardEntryText`), so the body, the check page and a resume read both.
 */

/**
 * The longest text the contract takes for a field: a string's own limit, or for a list typed as one text
 * (commas or lines between), all its items (`itemLength` for items the contract limits by a pattern).
 */
function lengthOf(schema: z.ZodType, itemLength?: number): number {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  // Strings and string formats (an email) both say their limit as `maxLength`.
  const max = (inner as { maxLength?: number | null }).maxLength;
  if (typeof max === 'number') return max;
  if (inner instanceof z.ZodArray) {
    const items = (inner._zod.def.checks ?? []).flatMap((c) => (c instanceof z.core.$ZodCheckMaxLength ? [c._zod.def.maximum] : []))[0] ?? 1;
    return Math.min(items * ((itemLength ?? lengthOf(inner.element as z.ZodType)) + 2), formValueMaxLength);
  }
  throw new DomainError('SG-INTERNAL', 'a section form field has no length in the contract');
}

const household = householdMemberSchema.shape;
const person = personOfConcernSchema.shape;
const vehicle = vehicleSchema.shape;
const agency = agencyContactSchema.shape;
const childMore = marfFieldsSchema.shape.child.unwrap().shape;
/** As typed: "14/03/1985". */
const dateLength = 10;
const ageLength = 3;
/** The longest choice value of a yes / no / not known field ("unknown"). */
const choiceLength = 7;

/** Each section's fields; their lengths are the contract's (phones, places and handles: the whole list). */
const sectionFields: Record<SectionId, FieldDef[]> = {
  household: [
    field('name', 'ref-field-name', 'text', lengthOf(household.name), true),
    field('relationship', 'ref-field-relationship', 'text', lengthOf(household.relationship), true),
    field('dateOfBirth', 'ref-field-dob', 'date', dateLength),
    field('ageYears', 'ref-field-age', 'number', ageLength),
    field('address', 'ref-field-address', 'text', lengthOf(addressSchema.shape.line1)),
    field('phone', 'ref-field-phone', 'text', phoneMaxLength),
    field('parentalResponsibility', 'ref-field-pr', 'yesnounknown', choiceLength),
  ],
  'persons-of-concern': [
    field('name', 'ref-field-poc-name', 'text', lengthOf(person.name), true),
    field('description', 'ref-field-description', 'multiline', lengthOf(person.description)),
    field('approximateAge', 'ref-field-approx-age', 'number', ageLength),
    field('phones', 'ref-field-phones', 'text', lengthOf(person.phones, phoneMaxLength)),
    field('vehicleMake', 'ref-field-vehicle-make', 'text', lengthOf(vehicle.make)),
    field('vehicleColour', 'ref-field-vehicle-colour', 'text', lengthOf(vehicle.colour)),
    field('vehicleRegistration', 'ref-field-vehicle-registration', 'text', lengthOf(vehicle.registration)),
    field('socialMedia', 'ref-field-social-media', 'text', lengthOf(person.socialMedia)),
    field('places', 'ref-field-places', 'multiline', lengthOf(person.places, lengthOf(placeSchema.shape.description))),
  ],
  agencies: [
    field('agency', 'ref-field-agency', 'text', lengthOf(agency.agency), true),
    field('worker', 'ref-field-worker', 'text', lengthOf(agency.worker)),
    field('phone', 'ref-field-phone', 'text', phoneMaxLength),
    field('email', 'ref-field-email', 'text', lengthOf(agency.email)),
  ],
  'child-more': [
    field('knownAs', 'ref-field-known-as', 'text', lengthOf(childMore.knownAs)),
    field('ethnicity', 'ref-field-ethnicity', 'text', lengthOf(childMore.ethnicity)),
    field('religion', 'ref-field-religion', 'text', lengthOf(childMore.religion)),
    field('firstLanguage', 'ref-field-first-language', 'text', lengthOf(childMore.firstLanguage)),
    field('interpreterNeeded', 'ref-field-interpreter', 'yesnounknown', choiceLength),
    field('communicationNeeds', 'ref-field-communication', 'multiline', lengthOf(childMore.communicationNeeds)),
    field('disability', 'ref-field-disability', 'multiline', lengthOf(childMore.disability)),
  ],
};

/** Every pack message a section form says: checked when the referral machine is built, not found missing mid-conversation. */
export const sectionFormMessageKeys: readonly string[] = [
  ...new Set([
    ...Object.values(sectionFields).flatMap((fields) => formMessageKeys(fields)),
    ...(Object.keys(sectionQuestions) as SectionId[]).map((section) => `ref-form-block-${section}`),
    'ref-form-hint',
    'ref-form-needed',
    'ref-form-too-long',
    'ref-form-phone',
    'ref-form-email',
    'ref-form-date',
    'ref-form-age',
    'ref-form-dob-or-age',
    'ref-form-fix',
  ]),
];

/** Blocks per form: two people (or agencies) at once covers most referrals; a second submit is not needed for a third, typing still adds more. */
const blocksOf: Record<SectionId, number> = { household: 2, 'persons-of-concern': 2, agencies: 2, 'child-more': 1 };

/** What the professional types before the colon for each fact about the child (`childMoreEntryOf` reads it back). */
const childMoreLabel: Record<string, string> = {
  knownAs: 'known as',
  ethnicity: 'ethnicity',
  religion: 'religion',
  firstLanguage: 'first language',
  interpreterNeeded: 'interpreter',
  communicationNeeds: 'communication needs',
  disability: 'disability',
};

const sectionOf = (questionId: string): SectionId | undefined => (Object.keys(sectionQuestions) as SectionId[]).find((section) => sectionQuestions[section] === questionId);

/** The form a section question shows, in the pack's words; undefined for every other question. */
export function sectionFormOf(pack: ContentPack, questionId: string): QuestionForm | undefined {
  const section = sectionOf(questionId);
  if (!section) return undefined;
  return {
    hint: words(pack, 'ref-form-hint'),
    blocks: Array.from({ length: blocksOf[section] }, (_, i) => ({ title: words(pack, `ref-form-block-${section}`, { n: String(i + 1) }) })),
    fields: formFieldsOf(pack, sectionFields[section]),
  };
}

const split = (text: string, by: RegExp) =>
  text
    .split(by)
    .map((part) => part.trim())
    .filter(Boolean);

/** "14/03/1985" or "1985-03-14" as an ISO date, when it is a real day no later than today. */
function dateOf(text: string, now: Date): string | undefined {
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const [y, m, d] = uk ? [uk[3], uk[2], uk[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(m) - 1 || date > now) return undefined;
  return date.toISOString().slice(0, 10);
}

const ageOf = (text: string): number | undefined => (/^\d{1,3}$/.test(text) && Number(text) <= 120 ? Number(text) : undefined);
const responsibilityOf = (text: string): HouseholdEntry['parentalResponsibility'] => (text === 'yes' ? 'true' : text === 'no' ? 'false' : 'unknown');

/** Which field a contract issue belongs to, and the pack's words for it. */
function issueWords(pack: ContentPack, issue: z.core.$ZodIssue, max: number): string {
  const path = issue.path.map(String);
  if (path.includes('email')) return words(pack, 'ref-form-email');
  if (path.includes('phone') || path.includes('phones')) return words(pack, 'ref-form-phone');
  if (issue.code === 'too_big') return words(pack, 'ref-form-too-long', { max: String(max) });
  if (issue.code === 'too_small') return words(pack, 'ref-form-needed');
  return words(pack, 'ref-form-needed');
}

/** Contract field path → the form field it came from. */
const formFieldOf = (section: SectionId, path: PropertyKey[]): string => {
  const [first] = path.map(String);
  if (section === 'persons-of-concern' && first === 'vehicles') return 'vehicleRegistration';
  if (section === 'household' && first === 'address') return 'address';
  return first;
};

/** One block checked and turned into the section's entry; undefined when the block is empty. */
function readBlock(pack: ContentPack, section: SectionId, block: Block, now: Date): string | undefined {
  const v = block.values;
  const filled = Object.values(v).some((text) => text !== '' && text !== 'unknown');
  if (!filled) return undefined;
  const fields = sectionFields[section];
  const error = (name: string, text: string) => (block.errors[name] ??= text);
  for (const f of fields) {
    if (f.required && !v[f.name]) error(f.name, words(pack, 'ref-form-needed'));
    if ((v[f.name] ?? '').length > f.maxLength) error(f.name, words(pack, 'ref-form-too-long', { max: String(f.maxLength) }));
  }
  const maxOf = (name: string) => fields.find((f) => f.name === name)?.maxLength ?? 200;
  const check = (schema: z.ZodType, candidate: unknown) => {
    const result = schema.safeParse(candidate);
    if (!result.success) for (const issue of result.error.issues) error(formFieldOf(section, issue.path), issueWords(pack, issue, maxOf(formFieldOf(section, issue.path))));
  };
  const given = (name: string) => (v[name] ? { [name]: v[name] } : {});

  if (section === 'household') {
    const dateOfBirth = v.dateOfBirth ? dateOf(v.dateOfBirth, now) : undefined;
    const ageYears = v.ageYears ? ageOf(v.ageYears) : undefined;
    if (v.dateOfBirth && !dateOfBirth) error('dateOfBirth', words(pack, 'ref-form-date'));
    if (v.ageYears && ageYears === undefined) error('ageYears', words(pack, 'ref-form-age'));
    if (v.dateOfBirth && v.ageYears) error('ageYears', words(pack, 'ref-form-dob-or-age'));
    const entry: HouseholdEntry = {
      name: v.name,
      ...given('relationship'),
      ...(dateOfBirth ? { dateOfBirth } : {}),
      ...(ageYears !== undefined && !dateOfBirth ? { ageYears } : {}),
      ...given('address'),
      ...given('phone'),
      parentalResponsibility: responsibilityOf(v.parentalResponsibility ?? ''),
    };
    const { parentalResponsibility, address, ...rest } = entry;
    check(householdMemberSchema, {
      ...rest,
      ...(address ? { address: { line1: address } } : {}),
      parentalResponsibility: { true: true, false: false, unknown: 'unknown' as const }[parentalResponsibility],
    });
    return Object.keys(block.errors).length ? undefined : cardEntryText(entry);
  }
  if (section === 'persons-of-concern') {
    const approximateAge = v.approximateAge ? ageOf(v.approximateAge) : undefined;
    if (v.approximateAge && approximateAge === undefined) error('approximateAge', words(pack, 'ref-form-age'));
    const vehicle = {
      ...(v.vehicleMake ? { make: v.vehicleMake } : {}),
      ...(v.vehicleColour ? { colour: v.vehicleColour } : {}),
      ...(v.vehicleRegistration ? { registration: v.vehicleRegistration.toUpperCase() } : {}),
    };
    const entry: PersonOfConcernEntry = {
      name: v.name,
      ...given('description'),
      ...(approximateAge !== undefined ? { approximateAge } : {}),
      phones: split(v.phones ?? '', /[,;\n]/),
      vehicles: Object.keys(vehicle).length ? [[vehicle.colour, vehicle.make, vehicle.registration].filter(Boolean).join(' ')] : [],
      ...(Object.keys(vehicle).length ? { vehicleParts: [vehicle] } : {}),
      socialMedia: split(v.socialMedia ?? '', /[,;\n]/),
      addresses: split(v.places ?? '', /[;\n]/),
    };
    check(personOfConcernSchema, {
      name: entry.name,
      ...given('description'),
      ...(approximateAge !== undefined ? { approximateAge } : {}),
      phones: entry.phones,
      vehicles: entry.vehicleParts ?? [],
      socialMedia: entry.socialMedia,
      places: entry.addresses.map((description) => ({ description })),
    });
    return Object.keys(block.errors).length ? undefined : cardEntryText(entry);
  }
  if (section === 'agencies') {
    const entry: AgencyEntry = { agency: v.agency, ...given('worker'), ...given('phone'), ...given('email') };
    check(agencyContactSchema, entry);
    return Object.keys(block.errors).length ? undefined : cardEntryText(entry);
  }
  return undefined;
}

/** "About the child": one "known as: Sam" entry per fact given, as if typed one per message. */
function readChildMore(pack: ContentPack, block: Block): string[] {
  const v = block.values;
  const given = Object.keys(childMoreLabel).filter((name) => v[name]);
  const child: Record<string, unknown> = {};
  for (const name of given) child[name] = name === 'interpreterNeeded' ? ({ yes: true, no: false }[v[name]] ?? 'unknown') : v[name];
  const schema = marfFieldsSchema.shape.child.unwrap();
  const result = schema.safeParse(child);
  const maxOf = (name: string) => sectionFields['child-more'].find((f) => f.name === name)?.maxLength ?? 100;
  if (!result.success) for (const issue of result.error.issues) block.errors[String(issue.path[0])] ??= issueWords(pack, issue, maxOf(String(issue.path[0])));
  return given.map((name) => `${childMoreLabel[name]}: ${v[name]}`);
}

/**
 * A form submit for a section question read into its entries, or (on any error) what was typed and the
 * error for each field, so the form comes back filled in. Empty blocks are left out; a form sent empty
 * adds nobody and ends the section, like "that's all".
 */
export function readSectionForm(pack: ContentPack, questionId: string, answer: unknown, now: Date): FormReading | undefined {
  const section = sectionOf(questionId);
  const blocks = section ? formBlocksOf(answer, blocksOf[section], sectionFields[section]) : undefined;
  if (!section || !blocks) return undefined;
  const entries = section === 'child-more' ? readChildMore(pack, blocks[0]) : blocks.flatMap((block) => readBlock(pack, section, block, now) ?? []);
  return formReading(pack, blocks, {
    fields: sectionFields[section],
    blockTitle: (i) => words(pack, `ref-form-block-${section}`, { n: String(i + 1) }),
    entries,
    lines: entryLines(questionId, entries),
  });
}
