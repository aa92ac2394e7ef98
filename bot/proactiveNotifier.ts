import type { BotAdapter, CloudAdapter, ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { OutgoingMessage } from '../flows';
import { renderActivity } from './renderActivity';
import { webChatChannelId } from './directLineAdapter';

export interface ProactiveNotifierOptions {
  cloudAdapter: CloudAdapter;
  /** MicrosoftAppId ('' in local mode). */
  appId: string;
  /** The in-process web chat adapter, for conversations that came through Direct Line. */
  webChatAdapter?: BotAdapter;
  logger: Logger;
}

/**
 * Tells a professional something later (their referral was delivered, the MASH decided) in the
 * conversation they filed from, on whichever channel that was. Returns false when the channel refused,
 * so the caller can keep the update for "my referrals" instead of retrying forever.
 */
export function createProactiveNotifier({ cloudAdapter, appId, webChatAdapter, logger }: ProactiveNotifierOptions) {
  return async function notify(reference: Partial<ConversationReference>, message: OutgoingMessage): Promise<boolean> {
    const activity = renderActivity(message);
    try {
      if (reference.channelId === webChatChannelId && webChatAdapter) {
        await webChatAdapter.continueConversation(reference, async (context) => {
          await context.sendActivity(activity);
        });
      } else {
        await cloudAdapter.continueConversationAsync(appId, reference, async (context) => {
          await context.sendActivity(activity);
        });
      }
      return true;
    } catch (err) {
      logger.warn({ err, channel: reference.channelId }, 'proactive message not delivered');
      return false;
    }
  };
}

export type ProactiveNotifier = ReturnType<typeof createProactiveNotifier>;
