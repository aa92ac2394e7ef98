import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import { z } from 'zod';

/**
 * A conversation reference as we store it (in referral records, handoffs and the reference store) and as
 * the Bot Framework protocol names it: the bot's account is `bot`. The Agents SDK calls that field
 * `agent`; references stored by the botbuilder releases keep `bot`, so the stored shape stays the wire
 * shape and the SDK's is made on read (`toSdkReference`). Old records and new ones then read alike.
 */
export interface StoredConversationReference {
  activityId?: string;
  user?: { id?: string; name?: string; aadObjectId?: string; role?: string };
  bot?: { id?: string; name?: string; role?: string };
  conversation?: { id: string; isGroup?: boolean; conversationType?: string; tenantId?: string; name?: string };
  channelId?: string;
  locale?: string;
  serviceUrl?: string;
}

const account = z.looseObject({ id: z.string().optional(), name: z.string().optional() });

/** What a stored reference must have to reach anyone; other fields pass through as stored. */
const storedReferenceSchema = z.looseObject({
  activityId: z.string().optional(),
  user: account.optional(),
  bot: account.optional(),
  agent: account.nullable().optional(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  channelId: z.string().min(1),
  locale: z.string().optional(),
  serviceUrl: z.string().optional(),
});

/** The reference to store for an incoming activity, in the wire shape (`bot`). */
export function referenceOf(activity: Activity): StoredConversationReference {
  const { agent, ...rest } = activity.getConversationReference();
  return JSON.parse(JSON.stringify({ ...rest, bot: agent ?? undefined })) as StoredConversationReference;
}

/**
 * A stored reference (either shape: `bot` from botbuilder's days and ours, `agent` should one ever be
 * stored by the SDK directly) as the SDK's `ConversationReference`; undefined when it cannot reach anyone.
 */
export function toSdkReference(stored: unknown): ConversationReference | undefined {
  const parsed = storedReferenceSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const { bot, agent, ...rest } = parsed.data;
  // The SDK needs an account for the bot to address replies from; an old reference without one gets an
  // empty account (the channel knows the bot by its token, not by this field).
  return { ...rest, agent: agent ?? bot ?? {} };
}
