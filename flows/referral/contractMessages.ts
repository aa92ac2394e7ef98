import { z } from 'zod';
import { channelSchema, clientReferenceSchema, concernCategorySchema, referrerSchema, timestampSchema } from './contract';
import { componentRef, contractComponents } from './contractRegistry';

/**
 * The rest of the MASH intake contract: answers, messages, intelligence, problems and status events.
 * Answers and events from the MASH are parsed leniently (unknown fields dropped) so that a MASH adding
 * a field does not stop us reading it; what we send is strict.
 */

const id = z.string().min(1).max(200).register(contractComponents, { id: 'Id' });

export const decisionOutcomes = ['nfa', 'early-help', 'assessment', 'strategy-discussion', 'police'] as const;
export const referralStatuses = ['received', 'acknowledged', 'info-requested', 'decided'] as const;
export const mashEventTypes = ['referral.acknowledged', 'referral.decision', 'referral.info-requested'] as const;

export const decisionSchema = z.object({ outcome: z.enum(decisionOutcomes), note: z.string().max(5000).optional() }).register(contractComponents, { id: 'Decision' });

/** `201` (first time) or `200` (a replay of the same key and body) to `POST /referrals`. */
export const referralReceiptSchema = z
  .object({ referralId: id, reference: id, status: z.literal('received'), receivedAt: timestampSchema })
  .register(contractComponents, { id: 'ReferralReceipt' });

/** `GET /referrals/{referralId}`. */
export const referralStatusSchema = z
  .object({ referralId: id, reference: id, status: z.enum(referralStatuses), decision: decisionSchema.optional() })
  .register(contractComponents, { id: 'ReferralStatus' });

/** `POST /referrals/{referralId}/messages`: the referrer's answer; `inReplyTo` is the info-requested event's id. */
export const referralMessageSchema = z
  .strictObject({
    text: z.string().min(1).max(5000),
    inReplyTo: id.optional().register(contractComponents, { description: 'The `eventId` of the `referral.info-requested` event answered.' }),
  })
  .register(contractComponents, { id: 'ReferralMessage' });
export const messageReceiptSchema = z.object({ messageId: id, receivedAt: timestampSchema }).register(contractComponents, { id: 'MessageReceipt' });

const voltText = () => z.string().min(1).max(2000).optional();

/**
 * `POST /intelligence`: soft intelligence that is not a referral, as VOLT (victims, offenders,
 * locations, themes). People, places and vehicles are free text because intelligence is often partial.
 */
export const intelligenceBodySchema = z
  .strictObject({
    schemaVersion: z.literal('1'),
    clientReference: clientReferenceSchema,
    submittedAt: timestampSchema,
    channel: channelSchema,
    source: referrerSchema,
    summary: z.string().min(10).max(5000),
    volt: z
      .strictObject({
        victims: voltText(),
        offenders: voltText(),
        locations: voltText(),
        vehicles: voltText(),
        themes: z.array(concernCategorySchema).min(1),
      })
      .register(contractComponents, { description: 'Victims, offenders, locations (and vehicles) as free text; themes as concern categories.' }),
  })
  .register(contractComponents, { id: 'IntelligenceRequest' });
export const intelligenceReceiptSchema = z.object({ intelligenceId: id, receivedAt: timestampSchema }).register(contractComponents, { id: 'IntelligenceReceipt' });

/** RFC 9457 problem details; `errors` lists what was wrong with a `400`. */
export const problemSchema = z
  .object({
    type: z.string().optional(),
    title: z.string().optional(),
    status: z.number().int().optional(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string().register(contractComponents, { description: 'Dotted path of the field, e.g. child.nhsNumber.' }),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .register(contractComponents, { id: 'Problem', description: 'RFC 9457 problem details.' });

const eventBase = { eventId: id, occurredAt: timestampSchema, referralId: id, reference: id, clientReference: id };

const acknowledgedEventSchema = z.object({ ...eventBase, type: z.literal('referral.acknowledged') }).register(contractComponents, { id: 'AcknowledgedEvent' });
const decisionEventSchema = z.object({ ...eventBase, type: z.literal('referral.decision'), decision: decisionSchema }).register(contractComponents, { id: 'DecisionEvent' });
const infoRequestedEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('referral.info-requested'),
    question: z.string().min(1).max(5000).register(contractComponents, { description: 'Answered with `POST /referrals/{referralId}/messages`, `inReplyTo` = this `eventId`.' }),
  })
  .register(contractComponents, { id: 'InfoRequestedEvent' });

/** `POST /api/mash/events` (a webhook the MASH calls), signed: see verifyMashSignature. */
export const mashEventSchema = z.discriminatedUnion('type', [acknowledgedEventSchema, decisionEventSchema, infoRequestedEventSchema]).register(contractComponents, {
  id: 'MashEvent',
  discriminator: {
    propertyName: 'type',
    mapping: {
      'referral.acknowledged': componentRef('AcknowledgedEvent'),
      'referral.decision': componentRef('DecisionEvent'),
      'referral.info-requested': componentRef('InfoRequestedEvent'),
    },
  },
});

export type ReferralReceipt = z.infer<typeof referralReceiptSchema>;
export type ReferralStatus = z.infer<typeof referralStatusSchema>;
export type ReferralMessage = z.infer<typeof referralMessageSchema>;
export type MessageReceipt = z.infer<typeof messageReceiptSchema>;
/** The body of `POST /intelligence`. */
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
