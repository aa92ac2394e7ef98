import { z } from 'zod';

/** What test/support/groupCommitChild.ts saves per turn (synthetic: no person in it). */
export const turnRecordSchema = z.object({ conversation: z.string(), turn: z.number().int(), answer: z.string() });
export type TurnRecord = z.infer<typeof turnRecordSchema>;
/** The answer a turn stores: long enough that a torn file could not pass for a whole one. */
export const answerOf = (conversation: string, turn: number) => `${conversation}/${turn}/`.repeat(40);
