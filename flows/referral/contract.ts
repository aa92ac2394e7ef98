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

/** Who is referring: the MASH replies to them and may ring them. */
export const referrerSchema = z
  .strictObject({
    name: text200,
    role: text200,
    organisation: text200,
    email: z.email().max(254),
    phone: z
      .string()
      .regex(/^[0-9 +()-]{6,40}$/, 'must be a phone number (digits, spaces, + ( ) -)')
      .optional(),
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

export const childSchema = z
  .strictObject({
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
  })
  .superRefine((child, ctx) => {
    // Exactly one of the two: a known date of birth, or an age when the referrer does not know it.
    if ((child.dateOfBirth === undefined) === (child.ageYears === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'give exactly one of dateOfBirth or ageYears' });
    }
  })
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
    referrer: referrerSchema,
    child: childSchema,
    concern: concernV2Schema,
    screening: screeningSchema.optional(),
    consent: consentV2Schema,
    urgency: urgencySchema,
    guidanceVersion: text(50).register(contractComponents, { description: 'The version of the guidance pack the referrer was advised on.' }),
    triage: triageRecordSchema.optional(),
    otherAgencies: z.array(text200).max(50).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.screening === undefined && body.concern.categories.some(isExploitation)) {
      ctx.addIssue({ code: 'custom', path: ['screening'], message: `is required when a category is one of ${exploitationCategories.join(', ')}` });
    }
  })
  .register(contractComponents, {
    id: 'ReferralRequestV2',
    description: '`screening` is required when `concern.categories` has an exploitation category.',
    if: { properties: { concern: { properties: { categories: { contains: { enum: [...exploitationCategories] } } } } } },
    then: { required: ['screening'] },
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
