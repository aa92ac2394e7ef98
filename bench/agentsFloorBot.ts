import { serveSdkBot } from './sdkBotServer';

/**
 * The floor on the SDK the service moves to (issue 22): the Microsoft 365 Agents SDK's CloudAdapter,
 * anonymous (no client id, as the service's local mode), echoing one message per turn. No state, no
 * dialogue: the gap between this and the service is what our flows, store, encryption and audit cost.
 */
serveSdkBot(async (context) => {
  if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
});
