import { z } from 'zod';
import { professionalIdentitySchema } from '../../integrations';

export const maxTextLength = 4000;
/** A card submit's `value` is a few answers: 8 kB and 8 levels are far more than any card here sends. */
export const maxValueBytes = 8 * 1024;
export const maxValueDepth = 8;

/** Depth of a parsed JSON value, giving up (Infinity) past `limit` so a 5,000-deep value costs nothing. */
function depthOf(value: unknown, limit: number, depth = 0): number {
  if (value === null || typeof value !== 'object') return depth;
  if (depth >= limit) return Infinity;
  let deepest = depth + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
  return deepest;
}

/** A card submit's data: plain JSON, shallow and small (pen test M1: it was stored verbatim, 255 kB at a time). */
const boundedValue = z
  .unknown()
  .refine((value) => depthOf(value, maxValueDepth) <= maxValueDepth, { message: `value must be at most ${maxValueDepth} levels deep`, abort: true })
  .refine((value) => Buffer.byteLength(JSON.stringify(value) ?? '') <= maxValueBytes, `value must be at most ${maxValueBytes / 1024} kB`);

/** Only what Web Chat needs back on the echo (`clientActivityID` matches it to the message it sent). */
const keptChannelData = z
  .looseObject({ clientActivityID: z.string().max(100).optional(), clientTimestamp: z.string().max(64).optional() })
  .transform(({ clientActivityID, clientTimestamp }) => ({ ...(clientActivityID ? { clientActivityID } : {}), ...(clientTimestamp ? { clientTimestamp } : {}) }));

/**
 * What a client may post, and the only shape ever stored (pen test M1): unknown fields are dropped, `value`
 * is bounded, `channelData` keeps the echo id alone and `entities` (Web Chat's capability notes, which the
 * bot never reads) are checked and dropped. Ids, recipient, conversation, channel and service URL are the
 * server's to set, and `from` is replaced by the token's professional.
 */
export const postedActivitySchema = z
  .object({
    type: z.enum(['message', 'event', 'typing'], { error: 'type must be "message", "event" or "typing"' }),
    text: z.string({ error: 'text must be a string' }).max(maxTextLength, `text must be at most ${maxTextLength} characters`).optional(),
    textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
    locale: z.string().max(35).optional(),
    localTimestamp: z.string().max(64).optional(),
    localTimezone: z.string().max(64).optional(),
    name: z.string().max(200, 'name must be at most 200 characters').optional(),
    value: boundedValue.optional(),
    from: z.object({ id: z.string().max(256).optional(), name: z.string().max(200).optional() }).optional(),
    channelData: z.record(z.string(), z.unknown(), { error: 'channelData must be an object' }).pipe(keptChannelData).optional(),
    entities: z
      .array(z.record(z.string(), z.unknown()))
      .max(20, 'at most 20 entities')
      .optional()
      .transform(() => undefined),
    attachments: z.array(z.unknown()).optional(),
  })
  .refine((a) => a.type !== 'message' || a.text !== undefined || a.value !== undefined || a.attachments?.length, {
    message: 'a message needs text or a value',
  });

export type PostedActivity = z.infer<typeof postedActivitySchema>;

/** `POST /tokens/generate` and a secret-authenticated `POST /conversations`: whom to bind the conversation to. */
export const startBodySchema = z.object({ user: professionalIdentitySchema.optional() }).optional();

/** One line naming the field and what is wrong, for a 400 a developer can act on. */
export function describeIssues(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}${rest.length ? ` (and ${rest.length} more)` : ''}`;
}
