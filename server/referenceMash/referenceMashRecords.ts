import { z } from 'zod';
import {
  concernCategories,
  concernCategoriesV2,
  mashEventSchema,
  marfBodyFieldNames,
  marfChildFieldNames,
  referralSchemaVersions,
  referralStatuses,
  urgencies,
  decisionSchema,
  type ReferralBody,
} from '../../flows';

/**
 * What the reference MASH keeps. Deliberately less than it receives: it is local tooling, so it keeps
 * what its page and its status answers need (a child's initial and age band, not their name, date of
 * birth or identifiers) and the concern summary a MASH worker must read to decide.
 */

/** Age bands instead of an age: enough to weigh a concern, too coarse to identify a child. */
export const ageBands = ['under 5', '5 to 9', '10 to 12', '13 to 15', '16 to 17', '18 to 25', 'unknown'] as const;

const deliverySchema = z.object({ at: z.string(), status: z.number().int().optional(), failure: z.string().optional() });

export const historyEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('received'), at: z.string() }),
  /** An event the MASH worker sent, and each attempt to deliver it to the service's webhook. */
  z.object({ kind: z.literal('event'), at: z.string(), event: mashEventSchema, deliveries: z.array(deliverySchema) }),
  /** The referrer's answer (`POST /referrals/{id}/messages`). */
  z.object({ kind: z.literal('message'), at: z.string(), messageId: z.string(), text: z.string(), inReplyTo: z.string().optional() }),
]);

export const mashReferralSchema = z.object({
  referralId: z.string(),
  reference: z.string(),
  clientReference: z.string(),
  receivedAt: z.string(),
  /** Records kept before issue 17 have none: they were all version 1. */
  schemaVersion: z.enum(referralSchemaVersions).default('1'),
  urgency: z.enum(urgencies),
  immediateDanger: z.boolean(),
  /** Absent for a version 2 referral that is not about exploitation (no screening). */
  screeningCategory: z.number().int().optional(),
  categories: z.array(z.enum(concernCategoriesV2)),
  /** Version 2: the guidance pack the referrer was advised on, the consent reason, the fired overrides and steps. */
  guidanceVersion: z.string().optional(),
  consentReason: z.string().optional(),
  overrides: z.array(z.string()).optional(),
  steps: z.array(z.string()).optional(),
  /**
   * Version 2's MARF answers (issue 21), as the page lists them: which were given and how many of each
   * list (household members, persons of concern), not what they say; and whether the family knows.
   */
  marfFields: z.record(z.string(), z.number().int()).optional(),
  familyAware: z.enum(['yes', 'no']).optional(),
  childInitial: z.string(),
  ageBand: z.enum(ageBands),
  summary: z.string(),
  status: z.enum(referralStatuses),
  decision: decisionSchema.optional(),
  history: z.array(historyEntrySchema),
});

export const mashIntelligenceSchema = z.object({
  intelligenceId: z.string(),
  clientReference: z.string(),
  receivedAt: z.string(),
  themes: z.array(z.enum(concernCategories)),
  summary: z.string(),
});

/** One Idempotency-Key: what it was used for (a hash of kind, target and body) and the answer given. */
export const keyRecordSchema = z.object({
  hash: z.string(),
  answer: z.record(z.string(), z.string()),
});

export type MashReferral = z.infer<typeof mashReferralSchema>;
export type MashIntelligence = z.infer<typeof mashIntelligenceSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type EventEntry = Extract<HistoryEntry, { kind: 'event' }>;
export type Delivery = z.infer<typeof deliverySchema>;
export type KeyRecord = z.infer<typeof keyRecordSchema>;
export type AgeBand = (typeof ageBands)[number];

/** Whole years between a date of birth and `at` (both UTC). */
function yearsBetween(dateOfBirth: string, at: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const birthdayPassed = at.getUTCMonth() + 1 > month || (at.getUTCMonth() + 1 === month && at.getUTCDate() >= day);
  return at.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

export function ageBandOf(child: { dateOfBirth?: string; ageYears?: number }, at: Date): AgeBand {
  const age = child.ageYears ?? (child.dateOfBirth ? yearsBetween(child.dateOfBirth, at) : undefined);
  if (age === undefined || age < 0 || age > 25) return 'unknown';
  if (age < 5) return 'under 5';
  if (age < 10) return '5 to 9';
  if (age < 13) return '10 to 12';
  if (age < 16) return '13 to 15';
  if (age < 18) return '16 to 17';
  return '18 to 25';
}

/** Which MARF answers a body carries, with the length of each list (1 for any other answer). */
export function marfFieldsOf(body: ReferralBody): Record<string, number> {
  if (body.schemaVersion !== '2') return {};
  const given: Record<string, number> = {};
  if (body.referrer.availability !== undefined) given['referrer.availability'] = 1;
  const child = body.child as Record<string, unknown>;
  for (const name of marfChildFieldNames) if (child[name] !== undefined) given[`child.${name}`] = 1;
  for (const name of marfBodyFieldNames) {
    const value: unknown = body[name];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) given[name] = Array.isArray(value) ? value.length : 1;
  }
  return given;
}

/** The record kept of a referral just filed: the minimal view, not the body. */
export function referralRecordOf(body: ReferralBody, ids: { referralId: string; reference: string }, receivedAt: Date): MashReferral {
  const at = receivedAt.toISOString();
  return {
    ...ids,
    clientReference: body.clientReference,
    receivedAt: at,
    schemaVersion: body.schemaVersion,
    urgency: body.urgency,
    immediateDanger: body.concern.immediateDanger,
    ...(body.screening ? { screeningCategory: body.screening.category } : {}),
    categories: body.concern.categories,
    ...(body.consent.overrideReason ? { consentReason: body.consent.overrideReason } : {}),
    ...(body.schemaVersion === '2' ? { guidanceVersion: body.guidanceVersion } : {}),
    ...(body.schemaVersion === '2' && body.triage ? { overrides: body.triage.overrides, steps: body.triage.steps } : {}),
    ...(Object.keys(marfFieldsOf(body)).length ? { marfFields: marfFieldsOf(body) } : {}),
    ...(body.schemaVersion === '2' && body.familyAware ? { familyAware: body.familyAware } : {}),
    childInitial: body.child.firstName.trim().charAt(0).toUpperCase(),
    ageBand: ageBandOf(body.child, receivedAt),
    summary: body.concern.summary,
    status: 'received',
    history: [{ kind: 'received', at }],
  };
}
