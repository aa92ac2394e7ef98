import { z } from 'zod';

/** Who made a decision: enough to find it again, no more (no message text, no child details). */
export const auditActorSchema = z.object({
  channelId: z.string(),
  userId: z.string(),
  userName: z.string().optional(),
  organisation: z.string().optional(),
});

/**
 * One decision on the record: a sharing decision, a screening, a referral, a handoff. `payload` holds
 * the machine-readable outcome and reasons the flow produced; `id` makes appends idempotent.
 */
export const auditEntrySchema = z.object({
  id: z.string().min(1),
  recordType: z.string().min(1),
  recordedAt: z.string(),
  actor: auditActorSchema,
  payload: z.record(z.string(), z.unknown()),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditActor = z.infer<typeof auditActorSchema>;
