import { z } from 'zod';

/**
 * The professional a Direct Line conversation belongs to, as the sign-in (local form or OIDC) knows them.
 * Only `id` is required: an anonymous local session still gets a stable pseudonymous id.
 */
export const professionalIdentitySchema = z.object({
  id: z
    .string()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[\w.@:+-]+$/, 'may contain only letters, digits and . _ @ : + -'),
  name: z.string().trim().min(1).max(200).optional(),
  role: z.string().trim().min(1).max(200).optional(),
  organisation: z.string().trim().min(1).max(200).optional(),
  email: z.email('must be an email address').max(320).optional(),
  /** The OIDC `phone_number` claim, when the provider sends a UK number: offered as the referrer's phone (issue 21). */
  phone: z.string().trim().min(1).max(40).optional(),
  /** Granted by the service from configuration (never chosen by the user, except in marked local mode). */
  roles: z
    .array(z.enum(['coordinator', 'partnership-lead', 'admin']))
    .max(3)
    .optional(),
});

export type ProfessionalRole = NonNullable<z.infer<typeof professionalIdentitySchema>['roles']>[number];

export type ProfessionalIdentity = z.infer<typeof professionalIdentitySchema>;

/** What is known about a conversation before any activity: who it is bound to and when it began. */
export const transcriptMetaSchema = z.object({
  conversationId: z.string().min(1),
  user: professionalIdentitySchema,
  createdAt: z.string(),
});

export type TranscriptMeta = z.infer<typeof transcriptMetaSchema>;

/**
 * One activity as stored and served: plain JSON (no Dates), with at least a `type`. The store does not
 * interpret activities beyond stamping an `id`; the Direct Line layer decides what goes in.
 */
export const transcriptActivitySchema = z.looseObject({ type: z.string().min(1), id: z.string().optional() });

export type TranscriptActivity = z.infer<typeof transcriptActivitySchema>;

/** A stored activity with its position. `seq` is the Direct Line watermark: 1, 2, 3... per conversation. */
export interface TranscriptEntry {
  seq: number;
  activity: TranscriptActivity & { id: string };
}

/**
 * Direct Line conversations and their activity history, shared by every instance.
 *
 * - `append` assigns the next sequence numbers atomically (two instances never hand out one watermark
 *   twice, and a reader never sees seq 6 before seq 5), stamps `<conversationId>|<seq>` as the id of an
 *   activity that has none, and refreshes the conversation's idle expiry.
 * - Everything expires with the conversation TTL (the same as the dialogue state), and only the newest
 *   `maxActivities` are kept; watermarks keep increasing after trimming.
 */
export interface TranscriptStore {
  readonly kind: 'embedded' | 'redis';
  /** Creates the conversation unless it exists (and has not expired); true when this call created it. */
  create(meta: TranscriptMeta): Promise<boolean>;
  /** Undefined when the conversation is unknown, expired or unreadable. */
  meta(conversationId: string): Promise<TranscriptMeta | undefined>;
  /** Throws SG-HTTP-NOT-FOUND when the conversation is unknown or expired. */
  append(conversationId: string, activities: TranscriptActivity[]): Promise<TranscriptEntry[]>;
  /** Entries after `afterSeq` in order; undefined when the conversation is unknown or expired. */
  read(conversationId: string, afterSeq: number): Promise<TranscriptEntry[] | undefined>;
  /** Removes the conversation and its activities (`npm run erase`); true when there was something to remove. */
  erase(conversationId: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The Direct Line convention for activity ids: the conversation id, a bar, and a zero-padded sequence. */
export function activityIdOf(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/** Stamps the conventional id on an activity that has none (updates keep the id they replace). */
export function withId(conversationId: string, seq: number, activity: TranscriptActivity): TranscriptEntry {
  return { seq, activity: { ...activity, id: activity.id ?? activityIdOf(conversationId, seq) } };
}

export const defaultMaxActivities = 1000;
