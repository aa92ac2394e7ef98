import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import { CardFactory } from '@microsoft/agents-hosting';
import type { OutgoingMessage } from '../../flows';
import type { OutgoingActivity } from '../outgoingActivity';
import { renderActivity } from '../renderActivity';
import type { AdaptiveCard } from './cardElements';
import type { CardContext } from './cardWords';
import { questionCard, questionOf } from './questionCard';
import { resultCard } from './resultCard';

export const teamsChannelId = 'msteams';

export function isTeamsChannel(channelId: string | undefined): boolean {
  return channelId === teamsChannelId;
}

/**
 * Teams installs a bot in personal scope by adding the bot, not the person, to the 1:1 chat: that
 * `conversationUpdate` is the moment to welcome them (other channels add the person).
 */
export function isTeamsPersonalInstall(activity: Pick<Partial<Activity>, 'recipient' | 'conversation' | 'membersAdded'> & { channelId?: string }): boolean {
  const botId = activity.recipient?.id;
  return isTeamsChannel(activity.channelId) && activity.conversation?.conversationType === 'personal' && (activity.membersAdded ?? []).some((m) => m.id === botId);
}

/** The first line of a card's text, for the notification Teams shows instead of "sent a card". */
function summaryOf(message: OutgoingMessage): string {
  const first = message.text.split('\n')[0].trim();
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

function cardActivity(card: AdaptiveCard, message: OutgoingMessage): OutgoingActivity {
  // No `text` beside the card: Teams would show the same words twice. `value` stays, so tests and other
  // clients read the protocol value exactly as on every other channel.
  const summary = summaryOf(message);
  const activity: OutgoingActivity = { type: ActivityTypes.Message, ...(summary ? { summary } : {}), attachments: [CardFactory.adaptiveCard(card)] };
  if (message.value) activity.value = message.value;
  return activity;
}

/**
 * A flow message for Teams: a question or a result becomes an Adaptive Card (which carries the buttons,
 * so no suggested actions: Teams would show both in personal chat); anything else is rendered exactly as
 * on every channel.
 */
export function renderTeamsActivity(message: OutgoingMessage, context: CardContext, recipientId?: string): OutgoingActivity {
  const question = questionOf(message);
  const card = question ? questionCard(message, question, context.limitsOf(question.id), context.say) : resultCard(message, context);
  return card ? cardActivity(card, message) : renderActivity(message, recipientId);
}
