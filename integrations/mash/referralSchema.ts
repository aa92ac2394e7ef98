import { z } from 'zod';
import { validateNhsNumber, validatePostcode, validateUpn } from '../../flows';

/**
 * The referral body of the MASH intake contract (`POST /referrals`, schemaVersion "1"), as issue 5
 * and docs/mash-intake.openapi.yaml describe it. Request objects are strict: a misspelt field dropped
 * on the way would be a fact about a child the MASH never sees.
 */

export const concernCategories = ['cse', 'cce', 'missing', 'trafficking', 'online', 'peer-on-peer', 'gangs', 'other'] as const;
export const consentStatuses = ['given', 'not-sought', 'refused'] as const;
export const consentOverrideReasons = ['cannot-consent', 'not-reasonable', 'would-increase-risk', 'prejudice-crime', 'overridden-refusal'] as const;
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

export const screeningSchema = z.strictObject({
  tool: text(100),
  version: text(50),
  category: z.number().int().min(0).max(4),
  indicators: z.array(z.strictObject({ id: text(100), label: text(300) })).max(200),
  rationale: text(5000),
});

export const consentSchema = z
  .strictObject({
    status: z.enum(consentStatuses),
    overrideReason: z.enum(consentOverrideReasons).optional(),
    details: text(2000).optional(),
    lawfulBasis: text(500),
  })
  .superRefine((consent, ctx) => {
    // Sharing without consent must say why (Working Together; DPA 2018 Sch. 1 para 18).
    if (consent.status !== 'given' && consent.overrideReason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'is required unless consent was given' });
    }
  });

export const referralBodySchema = z.strictObject({
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

export type ReferralBody = z.infer<typeof referralBodySchema>;
export type Referrer = z.infer<typeof referrerSchema>;
export type ConcernCategory = (typeof concernCategories)[number];
