export { DomainError, errorCatalogue, isDomainError, type ErrorCode } from './errors';
export type {
  AnswerIdentity,
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
export { decisionWords, emergencyLineKeys, exchangeSpeaker, fillWords, isServiceWordKey, serviceWordKeys, serviceWordsOf, wordsFor, type ServiceWordKey, type ServiceWords, type WordValues } from './content/serviceWords';
export { conversationRecordSchema, type ConversationRecord } from './record';
export {
  effectSchema,
  readPendingEffect,
  storedPendingEffectSchema,
  type EffectContext,
  type EffectKind,
  type EffectOf,
  type PendingEffect,
  type ReadPendingEffect,
  type StoredPendingEffect,
} from './effects';
export { createRuntime, activeQuestion, activeQuestionId, type ActiveQuestion, type ConversationRuntime, type RuntimeOptions } from './runtime';
export { createConversationMachine, type ConversationMachine } from './machines/conversationMachine';
export { toRuntime, type CarriedInput, type FlowOutput, type MenuOption, type RootEvent } from './machines/flowKit';
export { parseAnswer, normalise } from './answers';
export { detectCommand, isEmergency } from './commands';
export type { Validation } from './validation/validation';
export { validateNhsNumber, nhsCheckDigit } from './validation/nhsNumber';
export { validateUpn, upnCheckLetter, isTemporaryUpn } from './validation/upn';
export { validatePostcode, normalisePostcode } from './validation/postcode';
export { validateEmail } from './validation/email';
export { validateDateOfBirth, validateAgeYears, ageOn, londonDateOf, maxAgeYears } from './validation/dateOfBirth';
export { validators, validatorIds, type ValidatorId } from './validation/validators';
export { adviceLinesAt, adviceServices, hasAdviceLines, type AdviceGroup, type AdviceLine, type AdviceService } from './advice/adviceLines';
export { createSharingMachine, type SharingMachine } from './machines/sharing/sharingMachine';
export { createScreeningMachine, type ScreeningMachine } from './machines/screening/screeningMachine';
export type { ScreeningResultValue } from './machines/screening/screeningMessages';
export { createReferralMachine, type ReferralMachine } from './machines/referral/referralMachine';
export { referralDeliveries, type ReferralDelivery } from './machines/referral/referralPhone';
export { referralQuestions } from './machines/referral/referralQuestions';
export { createIntelligenceMachine, type IntelligenceMachine } from './machines/intelligence/intelligenceMachine';
export { intelligenceQuestions } from './machines/intelligence/intelligenceBody';
export {
  channelOf,
  type Channel,
  type ConcernCategory,
  type IntelligenceBody as FlowIntelligenceBody,
  type ReferralBody as FlowReferralBody,
} from './referral/contract';
export * as screening from './screening';
export {
  sharingOutcomes,
  sharingReasons,
  type ConsentCarry,
  type SharingDecision,
  type SharingOutcome,
  type SharingReason,
  type TellFamily,
} from './machines/sharing/sharingDecision';
export {
  lawfulBasisCodes,
  lawfulBasisCodesFor,
  lawfulBasisWords,
  orgKinds,
  type LawfulBasisCode,
  type LawfulBasisInput,
  type OrgKind,
} from './machines/sharing/lawfulBasis';
export * as insights from './insights';
export { organisationTypes, type OrganisationType } from './content/insightsSchema';
export { fillCallTokens, callText } from './advice/callTokens';
export { statusAt, bankHolidaysCoverUntil, bankHolidaysCoverAhead, type LineStatus } from './advice/openingHours';
export { packCurrency, isReviewDue, reviewDueText, type PackCurrency } from './content/packCurrency';
export { flattenPack, packChanges, signedOffSchema, signedOffSnapshot, type FlatPack, type PackChange, type SignedOff } from './content/packSnapshot';
export { citedSources } from './content/packReferences';
export { gloucestershireParts } from './content/gloucestershire';
