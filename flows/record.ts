import { z } from 'zod';
import { storedPendingEffectSchema } from './effects';

const flowEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ANSWER'),
    questionId: z.string(),
    value: z.union([z.string(), z.number(), z.array(z.string())]),
    at: z.string().optional(),
    ref: z.string().optional(),
    by: z
      .object({
        channelId: z.string(),
        name: z.string().optional(),
        role: z.string().optional(),
        organisation: z.string().optional(),
        email: z.string().optional(),
        phone: z.string().optional(),
      })
      .optional(),
  }),
  z.object({ type: z.literal('INTENT'), intent: z.string() }),
  // The answer `back` undid, kept so that replays still know what was corrected.
  z.object({
    type: z.literal('CORRECTED'),
    questionId: z.string(),
    value: z.union([z.string(), z.number(), z.array(z.string())]),
    at: z.string().optional(),
  }),
]);

/**
 * What is saved for one conversation after every turn. `snapshot` is xstate's persisted snapshot of the
 * root actor, tagged with the machine id and version that made it; `trail` holds the events since the
 * last checkpoint (a visit to the menu, or a step that cannot be undone such as a filed referral) so that
 * `back` can replay all but the last, starting from `base`, the snapshot at that checkpoint.
 */
export const conversationRecordSchema = z.object({
  machineId: z.string().min(1),
  machineVersion: z.string().min(1),
  snapshot: z.record(z.string(), z.unknown()),
  trail: z.array(flowEventSchema),
  /**
   * The persisted snapshot `trail` starts from, when the trail is not empty (an empty trail starts from
   * `snapshot` itself). It keeps what the root carries between flows (the latest screening and consent
   * answer), which a replay from a fresh actor would lose. Absent in older records: replay from a fresh actor.
   */
  base: z.record(z.string(), z.unknown()).optional(),
  turn: z.number().int().nonnegative(),
  contentVersion: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /**
   * The professional typed "restart" mid-flow and was asked to confirm (`confirm-restart`): their next
   * answer says yes (the menu) or no (the question they were on). Absent otherwise.
   */
  confirmingRestart: z.literal(true).optional(),
  /** Set by the I/O layer, not the runtime: effects of the last turn, re-run (idempotently) next turn. */
  pendingEffects: z.array(storedPendingEffectSchema).optional(),
  /**
   * Set by the I/O layer: the ids of the latest incoming activities. A channel that lost our response (an
   * instance killed after saving the turn) delivers the activity again, to any instance: it is recognised
   * here and answered with the current question instead of being applied as the next answer.
   */
  recentActivityIds: z.array(z.string().max(512)).max(50).optional(),
});

export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/** How many events `back` can undo; a long conversation never grows its record without bound. */
export const maxTrailLength = 200;
