export { DomainError, errorCatalogue, isDomainError, type ErrorCode } from './errors';
export type {
  AnswerValue,
  Choice,
  Effect,
  Expects,
  FlowEmitted,
  FlowEvent,
  OutgoingMessage,
  QuestionValue,
  TurnInput,
  TurnMeta,
  TurnResult,
} from './protocol';
export { contentPackSchema, type ContentPack, type PackQuestion } from './content/packSchema';
export { loadDefaultPack, parseContentPack, mergePackParts } from './content/loadPack';
export { conversationRecordSchema, type ConversationRecord, type PendingEffect } from './record';
export { createRuntime, activeQuestionId, type ConversationRuntime, type RuntimeOptions } from './runtime';
export { createConversationMachine, type ConversationMachine } from './machines/conversationMachine';
export { toRuntime, type FlowOutput, type MenuOption, type RootEvent } from './machines/flowKit';
export { parseAnswer, normalise } from './answers';
export { detectCommand, isEmergency } from './commands';
