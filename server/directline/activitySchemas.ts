import { z } from 'zod';
import { professionalIdentitySchema } from '../../integrations';

export const maxTextLength = 4000;

/**
 * What a client may post. Only these fields are kept: ids, recipient, conversation, channel and service
 * URL are the server's to set, and `from` is replaced by the token's professional.
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
    value: z.unknown().optional(),
    from: z.object({ id: z.string().max(256).optional(), name: z.string().max(200).optional() }).optional(),
    channelData: z.record(z.string(), z.unknown(), { error: 'channelData must be an object' }).optional(),
    entities: z.array(z.record(z.string(), z.unknown())).max(20, 'at most 20 entities').optional(),
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
