import { z } from 'zod';
import { validateNhsNumber, validatePostcode, validateUpn } from '../../flows';

/**
 * The referral body of the MASH intake contract (`POST /referrals`), as issue 5 (schemaVersion "1")
 * and issue 17 (schemaVersion "2") and docs/mash-intake.openapi.yaml describe it. This file is the one
 * definition of the wire; flows/referral/contract.ts is its pure copy, compared by a test. Request
 * objects are strict: a misspelt field dropped on the way would be a fact about a child the MASH never
 * sees, and a v1 MASH refuses any field or value it does not know, so a v1 body never carries one.
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

const text = (max: number) => z.string().min(1).max(max);

/** Our reference for one submission; it is also the `Idempotency-Key`, so it must be header-safe. */
export const clientReferenceSchema = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8 to 128 letters, digits or . _ : -');

/** Who is referring: the MASH replies to them and may ring them. */
export const referrerSchema = z.strictObject({
  name: text(200),
  role: text(200),
  organisation: text(200),
  email: z.email().max(254),
  phone: z.string().regex(/^[0-9 +()-]{6,40}$/, 'must be a phone number (digits, spaces, + ( ) -)').optional(),
});

/** Checked digit and letter, not just shape: a wrong identifier could attach a referral to another child. */
const nhsNumber = z.string().regex(/^\d{10}$/, 'must be 10 digits').refine((v) => validateNhsNumber(v).ok, 'fails the NHS number check digit');
const upn = z.string().regex(/^[A-Z]\d{11}[0-9A-Z]$/, 'must be a letter, 11 digits and a digit or letter').refine((v) => validateUpn(v).ok, 'fails the UPN check letter');
const postcode = z.string().regex(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/, 'must be a normalised UK postcode like GL1 2TG').refine((v) => validatePostcode(v).ok, 'is not a UK postcode');

export const childSchema = z
  .strictObject({
    firstName: text(100),
    lastName: text(100),
    dateOfBirth: z.iso.date().optional(),
    ageYears: z.number().int().min(0).max(25).optional(),
    gender: text(50).optional(),
    nhsNumber: nhsNumber.optional(),
    upn: upn.optional(),
    address: z.strictObject({ line1: text(200).optional(), town: text(100).optional(), postcode: postcode.optional() }).optional(),
    school: text(200).optional(),
    lookedAfter: z.boolean(),
    placingAuthority: text(200).optional(),
    needs: text(2000).optional(),
  })
  .superRefine((child, ctx) => {
    // Exactly one of the two: a known date of birth, or an age when the referrer does not know it.
    if ((child.dateOfBirth === undefined) === (child.ageYears === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'give exactly one of dateOfBirth or ageYears' });
    }
  });

export const concernSchema = z.strictObject({
  summary: z.string().min(10).max(5000),
  categories: z.array(z.enum(concernCategories)).min(1),
  immediateDanger: z.boolean(),
});

export const concernV2Schema = concernSchema.extend({ categories: z.array(z.enum(concernCategoriesV2)).min(1) });

export const screeningSchema = z.strictObject({
  tool: text(100),
  version: text(50),
  category: z.number().int().min(0).max(4),
  indicators: z.array(z.strictObject({ id: text(100), label: text(300) })).max(200),
  rationale: text(5000),
});

/** Sharing without consent must say why (Working Together; DPA 2018 Sch. 1 para 18). */
function reasonUnlessGiven(consent: { status: string; overrideReason?: string }, ctx: z.RefinementCtx): void {
  if (consent.status !== 'given' && consent.overrideReason === undefined) {
    ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'is required unless consent was given' });
  }
}

export const consentSchema = z
  .strictObject({
    status: z.enum(consentStatuses),
    overrideReason: z.enum(consentOverrideReasons).optional(),
    details: text(2000).optional(),
    lawfulBasis: text(500),
  })
  .superRefine(reasonUnlessGiven);

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
    lawfulBasis: text(500),
    lawfulBasisCodes: z.array(lawfulBasisCodeSchema).min(1).max(20).optional(),
  })
  .superRefine(reasonUnlessGiven);

/** A kebab-case id (a pack's override rule id, a route step id): ids, never words. */
const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a kebab-case id');

/**
 * Version 2's record of the triage before the referral: the safety overrides that fired (the pack's
 * rule ids; they fixed the urgency, which nothing may lower) and the route steps the referrer was
 * told to take (e.g. `police-now`, `nrm`), so the MASH knows what should already have happened.
 */
export const triageRecordSchema = z.strictObject({
  overrides: z.array(ruleId).max(50),
  steps: z.array(ruleId).max(50),
});

export const referralBodyV1Schema = z.strictObject({
  schemaVersion: z.literal('1'),
  clientReference: clientReferenceSchema,
  submittedAt: z.iso.datetime({ offset: true }),
  channel: z.enum(channels),
  referrer: referrerSchema,
  child: childSchema,
  concern: concernSchema,
  screening: screeningSchema,
  consent: consentSchema,
  urgency: z.enum(urgencies),
  otherAgencies: z.array(text(200)).max(50).optional(),
});

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
    submittedAt: z.iso.datetime({ offset: true }),
    channel: z.enum(channels),
    referrer: referrerSchema,
    child: childSchema,
    concern: concernV2Schema,
    screening: screeningSchema.optional(),
    consent: consentV2Schema,
    urgency: z.enum(urgencies),
    guidanceVersion: text(50),
    triage: triageRecordSchema.optional(),
    otherAgencies: z.array(text(200)).max(50).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.screening === undefined && body.concern.categories.some(isExploitation)) {
      ctx.addIssue({ code: 'custom', path: ['screening'], message: `is required when a category is one of ${exploitationCategories.join(', ')}` });
    }
  });

/** Either version, told apart by `schemaVersion`. */
export const referralBodySchema = z.discriminatedUnion('schemaVersion', [referralBodyV1Schema, referralBodyV2Schema]);

export type ReferralBodyV1 = z.infer<typeof referralBodyV1Schema>;
export type ReferralBodyV2 = z.infer<typeof referralBodyV2Schema>;
export type ReferralBody = z.infer<typeof referralBodySchema>;
export type Referrer = z.infer<typeof referrerSchema>;
export type ConcernCategory = (typeof concernCategories)[number];
export type ConcernCategoryV2 = (typeof concernCategoriesV2)[number];
