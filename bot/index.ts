export { SafeguardingBot, type SafeguardingBotOptions } from './safeguardingBot';
export type { SubmitReport, TurnOutcome, TurnService } from './ports';
export { createAdapter, createChannelAuthentication, type AdapterSettings } from './createAdapter';
export { renderActivity } from './renderActivity';
export {
  DirectLineAdapter,
  professionalOf,
  professionalKey,
  webChatChannelId,
  type DirectLineAdapterOptions,
  type TranscriptListener,
  type WebChatBot,
} from './directLineAdapter';
export { createProactiveNotifier, createReferenceRecorder, type ProactiveNotifier, type ProactiveNotifierOptions } from './proactiveNotifier';
export { cardContextOf, type CardContext } from './teams';
export { createCoordinatorChannel } from './teams/coordinatorChannel';
export { handoffCard } from './teams/coordinatorCard';
export { channelTokenCheck, messagesEndpoint, type ChannelTokenCheck, type ChannelTokenVerdict, type MessagesEndpoint } from './channelEndpoints';
