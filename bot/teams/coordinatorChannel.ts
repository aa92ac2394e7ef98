import { ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { forSending } from '../outgoingActivity';
import type { Logger } from 'pino';
import type { ServiceWords } from '../../flows';
import type { Handoff } from '../../integrations';
import { adaptiveCardContentType } from './cardElements';
import { handoffCard, type ShownHandoff } from './coordinatorCard';
import { teamsChannelId } from './renderTeamsActivity';

export interface CoordinatorChannelOptions {
  adapter: CloudAdapter;
  /** MicrosoftAppId ('' in local mode). */
  appId: string;
  /** The Teams service URL of the coordinators' tenant (e.g. https://smba.trafficmanager.net/uk/). */
  serviceUrl: string;
  /** The coordinators' channel id (19:...@thread.tacv2). */
  channelId: string;
  logger: Logger;
  /** The pack's words for the card. */
  words: ServiceWords;
}

/**
 * Posts each handoff's card to the coordinators' Teams channel (a new post per handoff) and updates that
 * post in place when the handoff changes, so every coordinator sees the same state. The channel id is the
 * conversation both for the post and for its updates.
 */
export function createCoordinatorChannel({ adapter, appId, serviceUrl, channelId, logger, words }: CoordinatorChannelOptions) {
  const reference: ConversationReference = {
    channelId: teamsChannelId,
    serviceUrl,
    conversation: { id: channelId, isGroup: true, conversationType: 'channel', name: 'CSE coordinators' },
    // Teams knows a bot as 28:<app id>; the SDK will not continue a conversation without the bot's account.
    agent: { id: `28:${appId}`, role: 'bot' },
  };
  return {
    async show(handoff: ShownHandoff): Promise<Handoff['card'] | undefined> {
      const activity = {
        type: ActivityTypes.Message,
        summary: words('handoff-card-summary', { handoffId: handoff.handoffId, urgency: handoff.urgency }),
        attachments: [{ contentType: adaptiveCardContentType, content: handoffCard(handoff, words) }],
      };
      let shown: Handoff['card'] | undefined;
      // An identity object, not the bare app id: the SDK refuses an empty id, and local mode has one.
      await adapter.continueConversation({ aud: appId }, reference, async (context) => {
        if (handoff.card) {
          await context.updateActivity(forSending({ ...activity, id: handoff.card.activityId }));
          shown = handoff.card;
          return;
        }
        const sent = await context.sendActivity(forSending(activity));
        if (sent?.id) shown = { conversationId: channelId, activityId: sent.id };
      });
      logger.info({ handoff: handoff.handoffId, status: handoff.status, updated: Boolean(handoff.card) }, "coordinators' card shown");
      return shown;
    },
  };
}
