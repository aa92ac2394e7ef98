import { randomBytes } from 'node:crypto';
import { ActivityTypes, type ChannelAccount } from '@microsoft/agents-activity';
import { webChatChannelId, type OutgoingActivity } from '../../bot';
import type { ProfessionalIdentity, TranscriptActivity } from '../../integrations';
import type { PostedActivity } from './activitySchemas';

/** Never dialled: the in-process adapter delivers replies, but the Activity protocol gives every activity one. */
export const internalServiceUrl = 'urn:safeguarding-bot:directline';

export interface Addressing {
  conversationId: string;
  user: ProfessionalIdentity;
  bot: ChannelAccount;
  now: Date;
}

export function newConversationId(): string {
  return randomBytes(18).toString('base64url');
}

/** A pseudonymous id for a session that did not say who it is (never derived from anything personal). */
export function anonymousUser(): ProfessionalIdentity {
  return { id: `dl-${randomBytes(12).toString('base64url')}` };
}

function userAccount(user: ProfessionalIdentity, postedName?: string): ChannelAccount {
  return { id: user.id, name: user.name ?? postedName ?? '', role: 'user' };
}

/**
 * A client's activity as the server records it: the client keeps its text, value and channelData
 * (Web Chat matches its echo by `channelData.clientActivityID`), the server sets the rest, and `from.id`
 * is always the token's professional, whatever the client claimed.
 */
export function userActivity(posted: PostedActivity, at: Addressing): TranscriptActivity {
  const { from, attachments: _none, ...kept } = posted;
  return {
    ...kept,
    channelId: webChatChannelId,
    conversation: { id: at.conversationId },
    from: userAccount(at.user, from?.name),
    recipient: at.bot,
    timestamp: at.now.toISOString(),
  };
}

/** The stored (echoed) activity as the bot receives it: with the internal service URL. */
export function toIncoming(stored: TranscriptActivity): OutgoingActivity {
  return { ...(stored as OutgoingActivity), serviceUrl: internalServiceUrl };
}

/** The professional and the bot joining, which makes the bot welcome them (as Teams does on install). */
export function joinActivity(at: Addressing): OutgoingActivity {
  const user = userAccount(at.user);
  return {
    type: ActivityTypes.ConversationUpdate,
    id: `join-${randomBytes(6).toString('hex')}`,
    channelId: webChatChannelId,
    serviceUrl: internalServiceUrl,
    conversation: { id: at.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: user,
    recipient: at.bot,
    membersAdded: [user, at.bot],
    timestamp: at.now,
  };
}
