import { randomBytes } from 'node:crypto';
import type { ChannelAccount } from '@microsoft/agents-activity';
import { webChatChannelId } from '../../bot';
import type { TranscriptActivity } from '../../integrations';
import { streamEndedEventName, type StreamEndReason } from './streamEndedEvent';

export { streamEndedEventName, streamEndReasons, type StreamEndReason } from './streamEndedEvent';

/**
 * Close code and reason of each end. 4000 and 4001 are in the private range; the official client
 * reconnects after any close, so the page acts on the event sent before it instead of on the code.
 */
export const streamCloses: Record<StreamEndReason, { code: number; reason: string }> = {
  // Pen test L2: one stream per conversation; the newer page took it by presenting its own bearer token.
  replaced: { code: 4000, reason: 'replaced by a newer connection' },
  // Pen test M2: the sign-in behind the socket ended (signed out on any instance, or past its maximum age).
  'signed-out': { code: 4001, reason: 'signed out' },
  'conversation-ended': { code: 1000, reason: 'conversation ended' },
};

/** The last activity on a stream the service ends: an event naming the reason, addressed like the bot's replies. */
export function streamEndedActivity(conversationId: string, reason: StreamEndReason, bot: ChannelAccount, now: Date): TranscriptActivity {
  return {
    type: 'event',
    name: streamEndedEventName,
    value: { reason },
    id: `stream-ended-${randomBytes(6).toString('hex')}`,
    channelId: webChatChannelId,
    conversation: { id: conversationId },
    from: bot,
    timestamp: now.toISOString(),
  };
}
