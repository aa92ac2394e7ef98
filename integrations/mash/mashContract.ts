import { z } from 'zod';
import { channels, clientReferenceSchema, concernCategories, referrerSchema } from './referralSchema';

/**
 * The rest of the MASH intake contract: answers, messages, intelligence, problems and status events.
 * Answers and events from the MASH are parsed leniently (unknown fields dropped) so that a MASH adding
 * a field does not stop us reading it; what we send is strict.
 */

const id = z.string().min(1).max(200);
const timestamp = z.iso.datetime({ offset: true });

export const decisionOutcomes = ['nfa', 'early-help', 'assessment', 'strategy-discussion', 'police'] as const;
export const referralStatuses = ['received', 'acknowledged', 'info-requested', 'decided'] as const;
export const mashEventTypes = ['referral.acknowledged', 'referral.decision', 'referral.info-requested'] as const;

export const decisionSchema = z.object({ outcome: z.enum(decisionOutcomes), note: z.string().max(5000).optional() });

/** `201` (first time) or `200` (a replay of the same key and body) to `POST /referrals`. */
export const referralReceiptSchema = z.object({ referralId: id, reference: id, status: z.literal('received'), receivedAt: timestamp });

/** `GET /referrals/{referralId}`. */
export const referralStatusSchema = z.object({ referralId: id, reference: id, status: z.enum(referralStatuses), decision: decisionSchema.optional() });

/** `POST /referrals/{referralId}/messages`: the referrer's answer; `inReplyTo` is the info-requested event's id. */
export const referralMessageSchema = z.strictObject({ text: z.string().min(1).max(5000), inReplyTo: id.optional() });
export const messageReceiptSchema = z.object({ messageId: id, receivedAt: timestamp });

/**
 * `POST /intelligence`: soft intelligence that is not a referral, as VOLT (victims, offenders,
 * locations, themes). People, places and vehicles are free text because intelligence is often partial.
 */
export const intelligenceBodySchema = z.strictObject({
  schemaVersion: z.literal('1'),
  clientReference: clientReferenceSchema,
  submittedAt: timestamp,
  channel: z.enum(channels),
  source: referrerSchema,
  summary: z.string().min(10).max(5000),
  volt: z.strictObject({
    victims: z.string().min(1).max(2000).optional(),
    offenders: z.string().min(1).max(2000).optional(),
    locations: z.string().min(1).max(2000).optional(),
    vehicles: z.string().min(1).max(2000).optional(),
    themes: z.array(z.enum(concernCategories)).min(1),
  }),
});
export const intelligenceReceiptSchema = z.object({ intelligenceId: id, receivedAt: timestamp });

/** RFC 9457 problem details; `errors` lists what was wrong with a `400`. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const eventBase = { eventId: id, occurredAt: timestamp, referralId: id, reference: id, clientReference: id };

/** `POST /api/mash/events` (a webhook the MASH calls), signed: see verifyMashSignature. */
export const mashEventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('referral.acknowledged') }),
  z.object({ ...eventBase, type: z.literal('referral.decision'), decision: decisionSchema }),
  z.object({ ...eventBase, type: z.literal('referral.info-requested'), question: z.string().min(1).max(5000) }),
]);

export type ReferralReceipt = z.infer<typeof referralReceiptSchema>;
export type ReferralStatus = z.infer<typeof referralStatusSchema>;
export type ReferralMessage = z.infer<typeof referralMessageSchema>;
export type MessageReceipt = z.infer<typeof messageReceiptSchema>;
export type IntelligenceBody = z.infer<typeof intelligenceBodySchema>;
export type IntelligenceReceipt = z.infer<typeof intelligenceReceiptSchema>;
export type Problem = z.infer<typeof problemSchema>;
export type ProblemError = NonNullable<Problem['errors']>[number];
export type MashEvent = z.infer<typeof mashEventSchema>;
export type Decision = z.infer<typeof decisionSchema>;

/** Zod issues as the contract's `errors`: a dotted path and a message that never quotes the value. */
export function problemErrorsOf(error: z.ZodError): ProblemError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/** Parses a webhook body that already passed verifyMashSignature. */
export function parseMashEvent(rawBody: string | Buffer): { ok: true; event: MashEvent } | { ok: false; errors: ProblemError[] } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString());
  } catch {
    return { ok: false, errors: [{ path: '(body)', message: 'is not JSON' }] };
  }
  const parsed = mashEventSchema.safeParse(json);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, errors: problemErrorsOf(parsed.error) };
}
