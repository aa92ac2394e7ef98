export { DomainError, errorCatalogue, isDomainError, type ErrorCode } from './errors';
export type { AnswerIdentity, AnswerValue, Choice, Effect, Expects, FlowEmitted, FlowEvent, OutgoingMessage, QuestionValue, TurnInput, TurnMeta, TurnResult } from './protocol';
export { contentPackSchema, type ContentPack, type PackQuestion } from './content/packSchema';
export { loadDefaultPack, parseContentPack, mergePackParts } from './content/loadPack';
export {
  decisionWords,
  emergencyLineKeys,
  exchangeSpeaker,
  fillWords,
  isServiceWordKey,
  referralOutcome,
  serviceWordKeys,
  serviceWordsOf,
  wordsFor,
  type ServiceWordKey,
  type ServiceWords,
  type WordValues,
} from './content/serviceWords';
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
export { referralWalk, type ReferralWalk } from './referralWalk';
export type { Validation } from './validation/validation';
export { validateNhsNumber, nhsCheckDigit } from './validation/nhsNumber';
export { validateUpn, upnCheckLetter, isTemporaryUpn } from './validation/upn';
export { validatePostcode, normalisePostcode } from './validation/postcode';
export { validateEmail } from './validation/email';
export { validatePhoneUk } from './validation/phone';
export { validateNhsNumberOrUpn, childIdentifiersOf } from './validation/childIdentifiers';
export { validateDateOfBirth, validateAgeYears, ageOn, londonDateOf, maxAgeYears } from './validation/dateOfBirth';
export { validators, validatorIds, type ValidatorId } from './validation/validators';
export { adviceLinesAt, adviceServices, hasAdviceLines, type AdviceGroup, type AdviceLine, type AdviceService } from './advice/adviceLines';
export { createSharingMachine, type SharingMachine } from './machines/sharing/sharingMachine';
export { createScreeningMachine, type ScreeningMachine } from './machines/screening/screeningMachine';
export type { ScreeningResultValue } from './machines/screening/screeningMessages';
export { createReferralMachine, type ReferralMachine } from './machines/referral/referralMachine';
export { referralDeliveries, type ReferralDelivery } from './machines/referral/referralPhone';
export { referralQuestions } from './machines/referral/referralQuestions';
export { continueCommandOf, type ReferralDraftCarry } from './machines/referral/referralDraft';
export { splitForVersion1, hasVersion2Fields, type Version1Split } from './machines/referral/referralBody';
export { marfLines, marfTextKeys } from './machines/referral/marfText';
export { createIntelligenceMachine, type IntelligenceMachine } from './machines/intelligence/intelligenceMachine';
export { intelligenceQuestions } from './machines/intelligence/intelligenceBody';
export {
  channelOf,
  referralSchemaVersions,
  concernCategories,
  concernCategoriesV2,
  exploitationCategories,
  consentStatuses,
  consentOverrideReasons,
  consentOverrideReasonsV2,
  urgencies,
  channels,
  clientReferenceSchema,
  referrerSchema,
  childSchema,
  concernSchema,
  concernV2Schema,
  screeningSchema,
  consentSchema,
  consentV2Schema,
  lawfulBasisCodeSchema,
  triageRecordSchema,
  referralBodyV1Schema,
  referralBodyV2Schema,
  referralBodySchema,
  marfFieldsSchema,
  marfBodyFieldNames,
  marfChildFieldNames,
  referrerV2Schema,
  childV2Schema,
  type Channel,
  type ConcernCategory,
  type ConcernCategoryV2,
  type ReferralSchemaVersion,
  type Referrer,
  type ReferralBody,
  type ReferralBodyV1,
  type ReferralBodyV2,
  type MarfFields,
} from './referral/contract';
export {
  decisionOutcomes,
  referralStatuses,
  mashEventTypes,
  decisionSchema,
  referralReceiptSchema,
  referralStatusSchema,
  referralMessageSchema,
  messageReceiptSchema,
  intelligenceBodySchema,
  intelligenceReceiptSchema,
  problemSchema,
  mashEventSchema,
  problemErrorsOf,
  parseMashEvent,
  type Decision,
  type IntelligenceBody,
  type IntelligenceReceipt,
  type MashEvent,
  type MessageReceipt,
  type Problem,
  type ProblemError,
  type ReferralMessage,
  type ReferralReceipt,
  type ReferralStatus,
} from './referral/contractMessages';
export { contractSchemas } from './referral/contractOpenApi';
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
export { lawfulBasisCodes, lawfulBasisCodesFor, lawfulBasisWords, orgKinds, type LawfulBasisCode, type LawfulBasisInput, type OrgKind } from './machines/sharing/lawfulBasis';
export * as insights from './insights';
export { organisationTypes, type OrganisationType } from './content/insightsSchema';
export { fillCallTokens, callText } from './advice/callTokens';
export { statusAt, bankHolidaysCoverUntil, bankHolidaysCoverAhead, type LineStatus } from './advice/openingHours';
export { packCurrency, isReviewDue, reviewDueText, type PackCurrency } from './advice/packCurrency';
export { flattenPack, packChanges, signedOffSchema, signedOffSnapshot, type FlatPack, type PackChange, type SignedOff } from './content/packSnapshot';
export { citedSources } from './content/packReferences';
export { gloucestershireParts } from './content/gloucestershire';
