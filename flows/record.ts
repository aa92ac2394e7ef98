import { z } from 'zod';

const flowEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ANSWER'),
    questionId: z.string(),
    value: z.union([z.string(), z.number(), z.array(z.string())]),
    at: z.string().optional(),
    ref: z.string().optional(),
  }),
  z.object({ type: z.literal('INTENT'), intent: z.string() }),
]);

/** An effect saved with the turn that asked for it, so a crash before it ran cannot lose it. */
const pendingEffectSchema = z.object({
  effect: z.object({ kind: z.string(), id: z.string(), payload: z.record(z.string(), z.unknown()) }),
  actor: z.object({ channelId: z.string(), userId: z.string(), userName: z.string().optional() }),
});

/**
 * What is saved for one conversation after every turn. `snapshot` is xstate's persisted snapshot of the
 * root actor, tagged with the machine id and version that made it; `trail` holds the events since the
 * last visit to the menu so that `back` can replay all but the last.
 */
export const conversationRecordSchema = z.object({
  machineId: z.string().min(1),
  machineVersion: z.string().min(1),
  snapshot: z.record(z.string(), z.unknown()),
  trail: z.array(flowEventSchema),
  turn: z.number().int().nonnegative(),
  contentVersion: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Set by the I/O layer, not the runtime: effects of the last turn, re-run (idempotently) next turn. */
  pendingEffects: z.array(pendingEffectSchema).optional(),
});

export type PendingEffect = z.infer<typeof pendingEffectSchema>;

export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/** How many events `back` can undo; a long conversation never grows its record without bound. */
export const maxTrailLength = 200;
