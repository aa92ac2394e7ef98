import { z } from 'zod';
import { validateNhsNumber } from '../validation/nhsNumber';
import { validatePostcode } from '../validation/postcode';
import { validateUpn } from '../validation/upn';
import { componentRef, contractComponents } from './contractRegistry';

/**
 * The referral body of the MASH intake contract (`POST /referrals`), as issue 5 (schemaVersion "1")
 * and issue 17 (schemaVersion "2") fixed it; the rest of the contract is in contractMessages.ts. These
 * zod schemas are its one definition: the flows build bodies of their types, the MASH client and the
 * embedded MASH check bodies with them, and `npm run contract:openapi` writes docs/mash-intake.openapi.yaml's
 * `components.schemas` from them. Request objects are strict: a misspelt field dropped on the way would
 * be a fact about a child the MASH never sees, and a v1 MASH refuses any field or value it does not know,
 * so a v1 body never carries one.
 */

/** Schema versions a referral body can have; a MASH says which it takes (`MASH_SCHEMA_VERSION`). */
export const referralSchemaVersions = ['1', '2'] as const;
export type ReferralSchemaVersion = (typeof referralSchemaVersions)[number];

/** Version 1's categories, exactly as issue 5 fixed them (also the themes of intelligence). */
export const concernCategories = ['cse', 'cce', 'missing', 'trafficking', 'online', 'peer-on-peer', 'gangs', 'other'] as const;
/**
 * Version 2 adds the kinds of concern that are not exploitation (issue 17), and `child-on-child`, the
 * term since KCSIE 2022: it is what is sent; `peer-on-peer` is still accepted from older clients.
 */
export const concernCategoriesV2 = [
  ...concernCategories,
  'child-on-child',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'neglect',
  'domestic-abuse',
  'radicalisation',
  'fgm',
  'forced-marriage',
] as const;
/** The categories only an exploitation screening can speak to: a version 2 body with one must carry its screening. */
export const exploitationCategories = ['cse', 'cce', 'trafficking', 'gangs', 'online'] as const;
export const consentStatuses = ['given', 'not-sought', 'refused'] as const;
export const consentOverrideReasons = ['cannot-consent', 'not-reasonable', 'would-increase-risk', 'prejudice-crime', 'overridden-refusal'] as const;
/** Version 2 adds the 2024 ground itself: a child at risk or perceived risk of harm, so consent is not needed. */
export const consentOverrideReasonsV2 = [...consentOverrideReasons, 'risk-of-harm'] as const;
export const urgencies = ['immediate', 'same-day', 'routine'] as const;
export const channels = ['msteams', 'webchat'] as const;

export type ConcernCategory = (typeof concernCategories)[number];
export type ConcernCategoryV2 = (typeof concernCategoriesV2)[number];
export type ConsentStatus = (typeof consentStatuses)[number];
export type ConsentOverrideReason = (typeof consentOverrideReasons)[number];
export type ConsentOverrideReasonV2 = (typeof consentOverrideReasonsV2)[number];
export type Urgency = (typeof urgencies)[number];
export type Channel = (typeof channels)[number];

/** Teams is `msteams`; every other channel (Web Chat over Direct Line, the emulator, tests) files as `webchat`. */
export function channelOf(channelId: string | undefined): Channel {
  return channelId === 'msteams' ? 'msteams' : 'webchat';
}

const text = (max: number) => z.string().min(1).max(max);
/** Names, organisations, schools: one component, so the document says it once. */
export const text200 = text(200).register(contractComponents, { id: 'Text200' });

/** Our reference for one submission; it is also the `Idempotency-Key`, so it must be header-safe. */
export const clientReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8 to 128 letters, digits or . _ : -')
  .register(contractComponents, { id: 'ClientReference', description: 'Our reference for one submission, header-safe; also its Idempotency-Key.' });

export const timestampSchema = z.iso.datetime({ offset: true }).register(contractComponents, { id: 'Timestamp', description: 'ISO 8601 with Z or an offset.' });
export const channelSchema = z.enum(channels).register(contractComponents, { id: 'Channel' });
export const urgencySchema = z.enum(urgencies).register(contractComponents, { id: 'Urgency' });
export const concernCategorySchema = z.enum(concernCategories).register(contractComponents, { id: 'ConcernCategory' });
export const concernCategoryV2Schema = z.enum(concernCategoriesV2).register(contractComponents, {
  id: 'ConcernCategoryV2',
  description: "Version 2: version 1's and the kinds that are not exploitation. `child-on-child` is sent; `peer-on-peer` is still accepted.",
});

/** The longest phone number the contract takes (the forms that ask one take no more). */
export const phoneMaxLength = 40;

/** A phone number as people type one; a function so each use is written inline (version 1's Referrer stays as it was). */
const phone = () => z.string().regex(new RegExp(`^[0-9 +()-]{6,${phoneMaxLength}}$`), 'must be a phone number (digits, spaces, + ( ) -)');

/** Who is referring: the MASH replies to them and may ring them. */
export const referrerSchema = z
  .strictObject({
    name: text200,
    role: text200,
    organisation: text200,
    email: z.email().max(254),
    phone: phone().optional(),
  })
  .register(contractComponents, { id: 'Referrer' });

/** Checked digit and letter, not just shape: a wrong identifier could attach a referral to another child. */
const nhsNumber = z
  .string()
  .regex(/^\d{10}$/, 'must be 10 digits')
  .refine((v) => validateNhsNumber(v).ok, 'fails the NHS number check digit')
  .register(contractComponents, { description: 'Passes the NHS modulus 11 check.' });
const upn = z
  .string()
  .regex(/^[A-Z]\d{11}[0-9A-Z]$/, 'must be a letter, 11 digits and a digit or letter')
  .refine((v) => validateUpn(v).ok, 'fails the UPN check letter')
  .register(contractComponents, { description: 'Passes the DfE check letter; a temporary UPN ends in a letter.' });
const postcode = z
  .string()
  .regex(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/, 'must be a normalised UK postcode like GL1 2TG')
  .refine((v) => validatePostcode(v).ok, 'is not a UK postcode')
  .register(contractComponents, { description: 'Normalised (capitals, one space) and matching the GOV.UK bulk data transfer pattern.' });

const childFields = {
  firstName: text(100),
  lastName: text(100),
  dateOfBirth: z.iso.date().optional(),
  ageYears: z.number().int().min(0).max(25).optional(),
  gender: text(50).optional(),
  nhsNumber: nhsNumber.optional(),
  upn: upn.optional(),
  address: z.strictObject({ line1: text200.optional(), town: text(100).optional(), postcode: postcode.optional() }).optional(),
  school: text200.optional(),
  lookedAfter: z.boolean(),
  placingAuthority: text200.optional(),
  needs: text(2000).optional(),
};

/** Exactly one of the two: a known date of birth, or an age when the referrer does not know it. */
function dateOfBirthOrAge(child: { dateOfBirth?: string; ageYears?: number }, ctx: z.RefinementCtx): void {
  if ((child.dateOfBirth === undefined) === (child.ageYears === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'give exactly one of dateOfBirth or ageYears' });
  }
}

export const childSchema = z
  .strictObject(childFields)
  .superRefine(dateOfBirthOrAge)
  .register(contractComponents, {
    id: 'Child',
    description: 'Exactly one of `dateOfBirth` or `ageYears`.',
    oneOf: [{ required: ['dateOfBirth'] }, { required: ['ageYears'] }],
  });

export const concernSchema = z
  .strictObject({
    summary: z.string().min(10).max(5000),
    categories: z.array(concernCategorySchema).min(1),
    immediateDanger: z.boolean(),
  })
  .register(contractComponents, { id: 'Concern' });

export const concernV2Schema = concernSchema.extend({ categories: z.array(concernCategoryV2Schema).min(1) }).register(contractComponents, { id: 'ConcernV2' });

export const screeningSchema = z
  .strictObject({
    tool: text(100),
    version: text(50),
    category: z.number().int().min(0).max(4),
    indicators: z.array(z.strictObject({ id: text(100), label: text(300) })).max(200),
    rationale: text(5000),
  })
  .register(contractComponents, { id: 'Screening' });

/** Sharing without consent must say why (Working Together; DPA 2018 Sch. 1 para 18). */
function reasonUnlessGiven(consent: { status: string; overrideReason?: string }, ctx: z.RefinementCtx): void {
  if (consent.status !== 'given' && consent.overrideReason === undefined) {
    ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'is required unless consent was given' });
  }
}
/** reasonUnlessGiven as JSON Schema. */
const reasonUnlessGivenJson = { if: { properties: { status: { not: { const: 'given' } } } }, then: { required: ['overrideReason'] } };

export const consentSchema = z
  .strictObject({
    status: z.enum(consentStatuses),
    overrideReason: z.enum(consentOverrideReasons).optional(),
    details: text(2000).optional(),
    lawfulBasis: text(500),
  })
  .superRefine(reasonUnlessGiven)
  .register(contractComponents, { id: 'Consent', description: 'Sharing without consent must say why (`overrideReason`).', ...reasonUnlessGivenJson });

/**
 * A lawful basis as a code (guidance rules R3.8), e.g. `uk-gdpr-6-1-e`, `uk-gdpr-6-1-ea:annex1-6`,
 * `uk-gdpr-9-2-g+dpa-s10-3+sch1-p18`. A pattern, not an enum: the law adds bases (CWSA 2026) faster
 * than a MASH contract can change, and `lawfulBasis` carries the same basis in words anyway.
 */
export const lawfulBasisCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9:+.-]{0,99}$/, 'must be a lawful basis code like uk-gdpr-6-1-e');

export const consentV2Schema = z
  .strictObject({
    status: z.enum(consentStatuses),
    overrideReason: z.enum(consentOverrideReasonsV2).optional(),
    details: text(2000).optional(),
    lawfulBasis: text(500).register(contractComponents, { description: 'The same basis in words.' }),
    lawfulBasisCodes: z
      .array(lawfulBasisCodeSchema)
      .min(1)
      .max(20)
      .register(contractComponents, { description: 'Art 6, Art 9 and Art 10 bases as codes, e.g. uk-gdpr-6-1-e, uk-gdpr-6-1-ea:annex1-6, uk-gdpr-9-2-g+dpa-s10-3+sch1-p18.' })
      .optional(),
  })
  .superRefine(reasonUnlessGiven)
  .register(contractComponents, {
    id: 'ConsentV2',
    description: 'Sharing without consent must say why (`overrideReason`); `risk-of-harm` is the 2024 ground (consent is not needed where a child is at risk of harm).',
    ...reasonUnlessGivenJson,
  });

/** A kebab-case id (a pack's override rule id, a route step id): ids, never words. */
const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a kebab-case id');

/**
 * Version 2's record of the triage before the referral: the safety overrides that fired (the pack's
 * rule ids; they fixed the urgency, which nothing may lower) and the route steps the referrer was
 * told to take (e.g. `police-now`, `nrm`), so the MASH knows what should already have happened.
 */
export const triageRecordSchema = z
  .strictObject({
    overrides: z.array(ruleId).max(50),
    steps: z.array(ruleId).max(50),
  })
  .register(contractComponents, {
    id: 'Triage',
    description: "The safety overrides that fired (the guidance pack's rule ids; they fixed the urgency) and the route steps the referrer was given (e.g. police-now, nrm).",
  });

/*
 * The fields every council's multi-agency referral form (MARF) asks (issue 21): version 2 only, and all
 * optional, so a referral without them is the version 2 body it was. Words the referrer typed go as
 * typed; "unknown" is always an answer (a free-text field takes the word, a yes/no field the value).
 */

/** true, false, or "unknown": the referrer is never made to guess. */
export const yesNoUnknownSchema = z.union([z.boolean(), z.literal('unknown')]).register(contractComponents, { id: 'YesNoUnknown', description: 'true, false or "unknown".' });

/** An address or place where it differs from the child's; the postcode, when known, normalised. */
export const addressSchema = z
  .strictObject({ line1: text200.optional(), town: text(100).optional(), postcode: postcode.optional() })
  .register(contractComponents, { id: 'Address' });

/** A place of concern: what the referrer calls it, and its postcode when known (the partnership counts districts, issue 21 item 6). */
export const placeSchema = z
  .strictObject({ description: text(500), postcode: postcode.optional() })
  .register(contractComponents, { id: 'Place', description: 'As the referrer describes it (an address, a park, a shop); `postcode` when known.' });

/** Version 1's referrer, and when the MASH can reach them (a MASH rings back within hours). */
export const referrerV2Schema = referrerSchema
  .extend({ availability: text(500).optional() })
  .register(contractComponents, { id: 'ReferrerV2', description: '`availability`: when the MASH can ring the referrer back.' });

/** What a MARF asks about the child beyond version 1's. */
const childMoreFields = {
  knownAs: text(100).optional(),
  ethnicity: text(100).optional(),
  religion: text(100).optional(),
  firstLanguage: text(100).optional(),
  interpreterNeeded: yesNoUnknownSchema.optional(),
  communicationNeeds: text(2000).optional(),
  disability: text(2000).optional(),
};

export const childV2Schema = z
  .strictObject({ ...childFields, ...childMoreFields })
  .superRefine(dateOfBirthOrAge)
  .register(contractComponents, {
    id: 'ChildV2',
    description: "Version 1's child and what a MARF asks beyond it. Exactly one of `dateOfBirth` or `ageYears`.",
    oneOf: [{ required: ['dateOfBirth'] }, { required: ['ageYears'] }],
  });

/** Someone who lives with or cares for the child: the MASH needs who has parental responsibility before it contacts anyone. */
export const householdMemberSchema = z
  .strictObject({
    name: text200,
    relationship: text(100),
    dateOfBirth: z.iso.date().optional(),
    ageYears: z.number().int().min(0).max(120).optional(),
    address: addressSchema.optional().register(contractComponents, { description: "Only where it differs from the child's." }),
    phone: phone().optional(),
    parentalResponsibility: yesNoUnknownSchema.optional(),
  })
  .superRefine((member, ctx) => {
    if (member.dateOfBirth !== undefined && member.ageYears !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['ageYears'], message: 'give dateOfBirth or ageYears, not both' });
    }
  })
  .register(contractComponents, {
    id: 'HouseholdMember',
    description: '`dateOfBirth` or `ageYears`, not both (neither when unknown).',
    not: { required: ['dateOfBirth', 'ageYears'] },
  });

export const vehicleSchema = z
  .strictObject({ make: text(100).optional(), colour: text(50).optional(), registration: text(20).optional() })
  .register(contractComponents, { id: 'Vehicle' });

/** An alleged perpetrator or associate (criminal offence data, UK GDPR Art 10): what the referrer knows, as typed. */
export const personOfConcernSchema = z
  .strictObject({
    name: text(200).register(contractComponents, { description: 'Name or nickname ("unknown" when neither is known).' }),
    description: text(2000).optional(),
    approximateAge: z.number().int().min(0).max(120).optional(),
    phones: z.array(phone()).max(10).optional(),
    vehicles: z.array(vehicleSchema).max(10).optional(),
    socialMedia: z.array(text200).max(20).optional(),
    places: z.array(placeSchema).max(20).optional(),
  })
  .register(contractComponents, { id: 'PersonOfConcern', description: 'An allegation, not a finding: criminal offence data (UK GDPR Art 10).' });

export const agencyContactSchema = z
  .strictObject({ agency: text200, worker: text200.optional(), phone: phone().optional(), email: z.email().max(254).optional() })
  .register(contractComponents, { id: 'AgencyContact' });

const familyAwareValues = ['yes', 'no'] as const;

/** The MARF fields at the top of a version 2 body (the referrer's and the child's are in those objects). */
const marfBodyFields = {
  household: z.array(householdMemberSchema).max(20).optional(),
  familyAware: z.enum(familyAwareValues).register(contractComponents, { description: 'Whether the family knows about this referral; `reasonNotTold` when not.' }).optional(),
  reasonNotTold: text(2000).optional(),
  views: z
    .strictObject({ child: text(5000).optional(), parents: text(5000).optional() })
    .register(contractComponents, { id: 'Views' })
    .optional(),
  childsWords: text(5000).register(contractComponents, { description: "The child's own words, verbatim." }).optional(),
  confidentialFromFamily: z
    .strictObject({ what: text(2000), why: text(2000) })
    .register(contractComponents, { id: 'ConfidentialFromFamily', description: 'What must not be disclosed to the family, and why.' })
    .optional(),
  personsOfConcern: z.array(personOfConcernSchema).max(20).optional(),
  locations: z.array(placeSchema).max(50).optional(),
  agencyContacts: z.array(agencyContactSchema).max(50).optional(),
  actionsTaken: text(5000).optional(),
  policeReference: text(50).optional(),
  householdReference: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8 to 128 letters, digits or . _ : -')
    .register(contractComponents, { description: 'The same on the referrals of siblings referred together.' })
    .optional(),
};

/** A family not told must say why: the MASH decides how to approach the family on it (Working Together 2023). */
function reasonWhenNotTold(body: { familyAware?: string; reasonNotTold?: string }, ctx: z.RefinementCtx): void {
  if (body.familyAware === 'no' && body.reasonNotTold === undefined) {
    ctx.addIssue({ code: 'custom', path: ['reasonNotTold'], message: 'is required when familyAware is "no"' });
  }
}
/** reasonWhenNotTold as JSON Schema. */
const reasonWhenNotToldJson = { if: { properties: { familyAware: { const: 'no' } }, required: ['familyAware'] }, then: { required: ['reasonNotTold'] } };

/** The names of the MARF fields in a version 2 child, and at the top of a version 2 body: what a version 1 body leaves out. */
export const marfChildFieldNames = Object.keys(childMoreFields) as Array<keyof typeof childMoreFields>;
export const marfBodyFieldNames = Object.keys(marfBodyFields) as Array<keyof typeof marfBodyFields>;

/**
 * The MARF answers a conversation gathers (issue 21), in the shape they take in a version 2 body:
 * `referrer` and `child` are merged into those objects, the rest sit at the top. A referral draft
 * carries them; a version 1 MASH never sees them (they stay in the referral record as not sent).
 */
export const marfFieldsSchema = z
  .strictObject({
    referrer: z.strictObject({ phone: phone().optional(), availability: text(500).optional() }).optional(),
    child: z.strictObject(childMoreFields).optional(),
    ...marfBodyFields,
  })
  .superRefine(reasonWhenNotTold);

export const referralBodyV1Schema = z
  .strictObject({
    schemaVersion: z.literal('1'),
    clientReference: clientReferenceSchema,
    submittedAt: timestampSchema,
    channel: channelSchema,
    referrer: referrerSchema,
    child: childSchema,
    concern: concernSchema,
    screening: screeningSchema,
    consent: consentSchema,
    urgency: urgencySchema,
    otherAgencies: z.array(text200).max(50).optional(),
  })
  .register(contractComponents, { id: 'ReferralRequestV1' });

const isExploitation = (category: string) => (exploitationCategories as readonly string[]).includes(category);

/**
 * Version 2 (issue 17): any kind of concern, not only exploitation. `screening` is required only
 * when an exploitation category is present (`missing` alone needs none); `guidanceVersion` is the
 * content pack's version the referrer was advised on.
 */
export const referralBodyV2Schema = z
  .strictObject({
    schemaVersion: z.literal('2'),
    clientReference: clientReferenceSchema,
    submittedAt: timestampSchema,
    channel: channelSchema,
    referrer: referrerV2Schema,
    child: childV2Schema,
    concern: concernV2Schema,
    screening: screeningSchema.optional(),
    consent: consentV2Schema,
    urgency: urgencySchema,
    guidanceVersion: text(50).register(contractComponents, { description: 'The version of the guidance pack the referrer was advised on.' }),
    triage: triageRecordSchema.optional(),
    otherAgencies: z.array(text200).max(50).optional(),
    ...marfBodyFields,
  })
  .superRefine((body, ctx) => {
    if (body.screening === undefined && body.concern.categories.some(isExploitation)) {
      ctx.addIssue({ code: 'custom', path: ['screening'], message: `is required when a category is one of ${exploitationCategories.join(', ')}` });
    }
    reasonWhenNotTold(body, ctx);
  })
  .register(contractComponents, {
    id: 'ReferralRequestV2',
    description: '`screening` is required when `concern.categories` has an exploitation category; `reasonNotTold` when `familyAware` is "no".',
    if: { properties: { concern: { properties: { categories: { contains: { enum: [...exploitationCategories] } } } } } },
    then: { required: ['screening'] },
    // A second conditional rule: JSON Schema allows one if/then per schema, so this one sits in allOf.
    allOf: [reasonWhenNotToldJson],
  });

/** Either version, told apart by `schemaVersion`. */
export const referralBodySchema = z.discriminatedUnion('schemaVersion', [referralBodyV1Schema, referralBodyV2Schema]).register(contractComponents, {
  id: 'ReferralRequest',
  description: 'A referral, version 1 or 2 by `schemaVersion`.',
  discriminator: { propertyName: 'schemaVersion', mapping: { '1': componentRef('ReferralRequestV1'), '2': componentRef('ReferralRequestV2') } },
});

export type Referrer = z.infer<typeof referrerSchema>;
export type ReferralChild = z.infer<typeof childSchema>;
export type ReferralConsent = z.infer<typeof consentSchema>;
export type ReferralConsentV2 = z.infer<typeof consentV2Schema>;
export type ReferralScreening = z.infer<typeof screeningSchema>;
/** The body of `POST /referrals`, schemaVersion "1". */
export type ReferralBodyV1 = z.infer<typeof referralBodyV1Schema>;
/**
 * schemaVersion "2": any kind of concern; `screening` only where an exploitation category needs it;
 * the pack version advised on; the overrides that fired and the steps the referrer was given.
 */
export type ReferralBodyV2 = z.infer<typeof referralBodyV2Schema>;
export type ReferralBody = z.infer<typeof referralBodySchema>;
/** The MARF answers a referral draft carries (issue 21); see marfFieldsSchema. */
export type MarfFields = z.infer<typeof marfFieldsSchema>;
export type HouseholdMember = z.infer<typeof householdMemberSchema>;
export type PersonOfConcern = z.infer<typeof personOfConcernSchema>;
export type Place = z.infer<typeof placeSchema>;
export type AgencyContact = z.infer<typeof agencyContactSchema>;
