import { z } from 'zod';
import type { ReferralBody } from './referral/contract';
import type { IntelligenceBody } from './referral/contractMessages';

/*
 * The side effects a flow asks the I/O layer to carry out after the turn is saved: one member of
 * `effectSchema` per kind, each with its payload's schema. The sink (integrations/effects/effectSink.ts)
 * takes one handler per kind in a mapped type, so a kind without a handler does not compile. Effects are
 * saved with their turn and read back after a crash, which is why they are schemas and not only types.
 */

const effectId = z.string().min(1);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A MASH body, checked here only for being an object: the contract is checked when it is queued
 * (integrations/outbox/outboxEntries.ts), where a body the contract refuses parks the referral and tells
 * the referrer to phone. Refusing it here would skip it instead, and nobody would be told.
 */
const mashBody = <T>() => z.custom<T>(isObject, 'must be an object');

/** The decision record (screening, triage, sharing decision, referral, intelligence...), appended whole, once by id. */
const auditAppend = z.object({
  kind: z.literal('audit.append'),
  id: effectId,
  payload: z.looseObject({
    // Every flow names its record type; the default is the one the handler used for a record without one.
    recordType: z.string().default('decision'),
    /** The turn's time, from the bot layer's clock; the handler stamps its own when a flow gives none. */
    recordedAt: z.string().optional(),
  }),
});

/** A referral (`POST /referrals`) or partnership intelligence (`POST /intelligence`) into the outbox; `id` is its clientReference. */
const outboxEnqueue = z.object({
  kind: z.literal('outbox.enqueue'),
  id: effectId,
  payload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('referral'), clientReference: z.string(), body: mashBody<ReferralBody>() }),
    z.object({ kind: z.literal('intelligence'), clientReference: z.string(), body: mashBody<IntelligenceBody>() }),
  ]),
});

/** A coordinator handoff the professional asked for: references and the screening result, never the child's details. */
const handoffOpen = z.object({
  kind: z.literal('handoff.open'),
  id: effectId,
  payload: z.object({
    handoffId: z.string().min(1),
    summary: z.string().min(1).max(2000),
    urgency: z.enum(['immediate', 'same-day', 'routine']),
    category: z.number().int().min(0).max(4).optional(),
    // Not read by the handler (it writes its own audit record); kept so the saved payload stays as it was.
    recordType: z.literal('handoff').optional(),
    recordedAt: z.string().optional(),
    kind: z.literal('talk-to-coordinator').optional(),
    screeningId: z.string().optional(),
    pathway: z.string().optional(),
    clientReference: z.string().optional(),
    /** Who asks, as the sign-in gave it (issue 20: the board shows the referrer's name and role). */
    referrer: z.object({ name: z.string().max(200).optional(), role: z.string().max(200).optional(), organisation: z.string().max(200).optional() }).optional(),
  }),
});

/** REFERRALS=phone: a referral the professional phones through, listed in "my referrals"; references and codes only. */
const referralPhone = z.object({
  kind: z.literal('referral.phone'),
  id: effectId,
  payload: z.object({
    clientReference: z.string().min(1).max(64),
    urgency: z.string().max(32).optional(),
    category: z.number().int().min(0).max(4).optional(),
  }),
});

/** Every effect a flow can ask for. To add one: a member here, then its handler where the sink is built. */
export const effectSchema = z.discriminatedUnion('kind', [auditAppend, outboxEnqueue, handoffOpen, referralPhone]);

/** A side effect for the I/O layer, discriminated on `kind`. `id` makes retries idempotent. */
export type Effect = z.infer<typeof effectSchema>;
export type EffectKind = Effect['kind'];
/** The effect of one kind. */
export type EffectOf<K extends EffectKind> = Extract<Effect, { kind: K }>;

/** Who the turn was for, and the channel's conversation reference (opaque to flows) to tell the professional later. */
const effectContextSchema = z.object({
  actor: z.object({ channelId: z.string(), userId: z.string(), userName: z.string().optional() }),
  reference: z.record(z.string(), z.unknown()).optional(),
});
export type EffectContext = z.infer<typeof effectContextSchema>;

/**
 * An effect as it is saved with the turn that asked for it, so a crash before it ran cannot lose it. The
 * kind is any string here: a record holding an effect this version cannot run (saved by another version)
 * still loads, and `readPendingEffect` turns it away on its own. This is the stored format; keep it.
 */
export const storedPendingEffectSchema = effectContextSchema.extend({
  effect: z.object({ kind: z.string(), id: z.string(), payload: z.record(z.string(), z.unknown()) }),
});
export type StoredPendingEffect = z.infer<typeof storedPendingEffectSchema>;

const pendingEffectSchema = effectContextSchema.extend({ effect: effectSchema });
/** A saved effect checked against its kind's schema: what a handler receives. */
export type PendingEffect<K extends EffectKind = EffectKind> = EffectContext & { effect: EffectOf<K> };

export type ReadPendingEffect = { ok: true; pending: PendingEffect } | { ok: false; problems: string[] };

/**
 * Checks a saved effect against its kind's schema. A kind this version does not know, or a payload it
 * cannot read, comes back as problems: the paths and zod's issue codes, never the values (personal data).
 */
export function readPendingEffect(stored: StoredPendingEffect): ReadPendingEffect {
  const parsed = pendingEffectSchema.safeParse(stored);
  if (parsed.success) return { ok: true, pending: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(effect)'}: ${issue.code}`) };
}
