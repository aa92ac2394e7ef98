export { SafeguardingBot, type SafeguardingBotOptions } from './safeguardingBot';
export type { SubmitReport, TurnOptions, TurnOutcome, TurnService } from './ports';
export { createAdapter, authConfigurationOf, type AdapterSettings } from './createAdapter';
export { referenceOf, toSdkReference, type StoredConversationReference } from './conversationReference';
export { renderActivity } from './renderActivity';
export { toActivity, type OutgoingActivity } from './outgoingActivity';
export { DirectLineAdapter, professionalOf, professionalKey, webChatChannelId, type DirectLineAdapterOptions, type TranscriptListener, type WebChatBot } from './directLineAdapter';
export { createProactiveNotifier, createReferenceRecorder, type ProactiveNotifier, type ProactiveNotifierOptions } from './proactiveNotifier';
export { cardContextOf, type CardContext } from './teams';
export { createCoordinatorChannel } from './teams/coordinatorChannel';
export { handoffCard } from './teams/coordinatorCard';
export {
  channelTokenCheck,
  messagesEndpoint,
  type ChannelIdentity,
  type ChannelTokenCheck,
  type ChannelTokenVerdict,
  type MessagesEndpoint,
  type MessagesOutcome,
} from './channelEndpoints';
