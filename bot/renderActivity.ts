import { ActivityTypes } from '@microsoft/agents-activity';
import type { OutgoingMessage } from '../flows';
import type { OutgoingActivity } from './outgoingActivity';

/**
 * A flow message as a Bot Framework activity. Choices become imBack buttons whose value is the title,
 * so pressing one is the same as typing it on every channel.
 */
export function renderActivity(message: OutgoingMessage, recipientId?: string): OutgoingActivity {
  const activity: OutgoingActivity = { type: ActivityTypes.Message, text: message.text, textFormat: 'plain' };
  if (message.suggestedActions?.length) {
    activity.suggestedActions = {
      to: recipientId ? [recipientId] : [],
      actions: message.suggestedActions.map((c) => ({ type: 'imBack', title: c.title, value: c.title })),
    };
  }
  if (message.value) activity.value = message.value;
  return activity;
}
