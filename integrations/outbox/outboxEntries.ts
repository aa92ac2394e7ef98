import type { z } from 'zod';
import {
  DomainError,
  intelligenceBodySchema,
  referralBodySchema,
  referralMessageSchema,
  type ErrorCode,
  type IntelligenceBody,
  type ReferralBody,
  type ReferralMessage,
} from '../../flows';
import type { OutboxEntry } from './outbox';

type Context = OutboxEntry['context'];

/** Parses before anything is queued, so a bad body fails while the professional is still there to fix it. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, code: ErrorCode): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const paths = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(body)'))];
  throw new DomainError(code, `invalid at ${paths.join(', ')}`); // paths only: values are personal data
}

/** A referral for the outbox; its clientReference is the outbox key and the Idempotency-Key. */
export function referralOutboxEntry(body: ReferralBody, context?: Context): OutboxEntry {
  const valid = parsed(referralBodySchema, body, 'SG-VALIDATION-REFERRAL');
  return { clientReference: valid.clientReference, target: { kind: 'referral' }, body: valid, ...(context ? { context } : {}) };
}

/** Partnership intelligence for the outbox (`POST /intelligence`). */
export function intelligenceOutboxEntry(body: IntelligenceBody, context?: Context): OutboxEntry {
  const valid = parsed(intelligenceBodySchema, body, 'SG-VALIDATION-INTELLIGENCE');
  return { clientReference: valid.clientReference, target: { kind: 'intelligence' }, body: valid, ...(context ? { context } : {}) };
}

/** A referrer's answer to the MASH's question; `clientReference` is chosen by the caller (one per answer). */
export function messageOutboxEntry(clientReference: string, referralId: string, message: ReferralMessage, context?: Context): OutboxEntry {
  const valid = parsed(referralMessageSchema, message, 'SG-VALIDATION-REFERRAL');
  return { clientReference, target: { kind: 'message', referralId }, body: valid, ...(context ? { context } : {}) };
}
