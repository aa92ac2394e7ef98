import { z } from 'zod';

const flowEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ANSWER'),
    questionId: z.string(),
    value: z.union([z.string(), z.number(), z.array(z.string())]),
  }),
  z.object({ type: z.literal('INTENT'), intent: z.string() }),
]);

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
});

export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/** How many events `back` can undo; a long conversation never grows its record without bound. */
export const maxTrailLength = 200;
