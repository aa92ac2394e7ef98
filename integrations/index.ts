export { createEnvelopeCipher, encryptionKey, keyIdOf, type EncryptionKey, type EnvelopeCipher } from './crypto/envelopeCipher';
export { createEncryptedJsonCodec, type EncryptedJsonCodec } from './crypto/encryptedJsonCodec';
export type { ConversationStore, DocumentStore, GuardedSaveResult, SaveResult, StoredConversation, StoredDocument } from './store/conversationStore';
export { storageKeyOf } from './store/recordCodec';
export { createKeyedMutex } from './store/keyedMutex';
export { createEmbeddedDocumentStore, type EmbeddedStoreOptions } from './store/embeddedConversationStore';
export { createRedisDocumentStore, type RedisStoreOptions } from './store/redisConversationStore';
export { documentKinds, referralTrackingMs, type DocumentKind, type DocumentKindName, type RetentionPeriods } from './documents/documentKinds';
export {
  openEmbeddedDocumentStores,
  openRedisDocumentStores,
  createRecordCodec,
  createEmbeddedConversationStore,
  createRedisConversationStore,
  rememberedConversations,
  conversationGuards,
  type ConversationGuard,
  type DocumentStores,
  type RecordCodec,
} from './documents/documentStores';
export { createRedisClient } from './store/redisClient';
export { auditEntrySchema, type AuditEntry, type AuditActor, type AuditLog } from './audit/auditLog';
export { createAuditCodec, type AuditCodec } from './audit/auditCodec';
export { createEmbeddedAuditLog } from './audit/embeddedAuditLog';
export { createRedisAuditLog } from './audit/redisAuditLog';
export { createEffectSink, auditAppendHandler, type EffectHandler, type EffectHandlers, type EffectSink } from './effects/effectSink';
export { parseRetryAfter, type MashOutcome, type MashFailure, type PermanentFailure, type RetryableFailure } from './mash/mashOutcome';
export type { MashAuth } from './mash/mashAuth';
export { createMashClient, deliveredOrThrow, type MashClient, type MashClientOptions } from './mash/mashClient';
export { verifyMashSignature, signMashEvent, signatureToleranceSeconds, type SignatureCheck } from './mash/mashSignature';
export type { Outbox, OutboxEntry, OutboxItem, OutboxRecord, OutboxStatus, OutboxTarget, ReplayResult, Settlement } from './outbox/outbox';
export { withdrawnReason, budgetSpentReason, isProbeable, type QuarantineListener } from './outbox/outbox';
export { createOutboxCodec, type OutboxCodec } from './outbox/outboxCodec';
export { createEmbeddedOutbox, type EmbeddedOutboxOptions } from './outbox/embeddedOutbox';
export { createRedisOutbox, type RedisOutboxOptions } from './outbox/redisOutbox';
export { referralOutboxEntry, intelligenceOutboxEntry, messageOutboxEntry } from './outbox/outboxEntries';
export { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions, type DeliveredItem, type RoundResult, type JobOutcome } from './outbox/deliveryWorker';
export type { DeliveredAnswer } from './outbox/deliverEntry';
export { nextRetry, fullJitterDelayMs, defaultRetryPolicy, type RetryPolicy, type RetryDecision } from './outbox/retrySchedule';
export {
  activityIdOf,
  professionalIdentitySchema,
  transcriptActivitySchema,
  type ProfessionalIdentity,
  type ProfessionalRole,
  type TranscriptActivity,
  type TranscriptEntry,
  type TranscriptMeta,
  type TranscriptStore,
} from './transcripts/transcriptStore';
export { createTranscriptCodec, type TranscriptCodec } from './transcripts/transcriptCodec';
export { createEmbeddedTranscriptStore, type EmbeddedTranscriptStoreOptions } from './transcripts/embeddedTranscriptStore';
export { createRedisTranscriptStore, type RedisTranscriptStoreOptions } from './transcripts/redisTranscriptStore';
export { createRedisTranscriptWakeups, type TranscriptWakeups, type RedisTranscriptWakeupsOptions } from './transcripts/transcriptWakeups';
export {
  createReferralRegistry,
  referralTrackingSchema,
  ownerIndexSchema,
  seenEventSchema,
  pendingQuestionSchema,
  type PendingQuestion,
  type ReferralRegistry,
  type ReferralTracking,
  type ReferralEvent,
} from './referrals/referralRegistry';
export {
  createHandoffQueue,
  handoffSchema,
  handoffIndexSchema,
  awaitingReplySchema,
  isOverdue,
  isClaimer,
  triageOrder,
  overdueAfterMs,
  type Handoff,
  type HandoffQueue,
  type HandoffStores,
  type ClaimResult,
} from './handoffs/handoffQueue';
export { embeddedHandoffStores, redisHandoffStores, handoffStoresOf } from './documents/handoffStores';
export { factOf, readInsights } from './insights';
export {
  createConversationReferences,
  storedReferenceSchema,
  notificationListSchema,
  webNotificationSchema,
  type ConversationReferences,
  type ConversationReferenceStores,
  type ReferenceOwner,
  type StoredReference,
  type WebNotification,
} from './conversationReferences';
export {
  createReferralDrafts,
  draftCarryOf,
  maxDraftsPerOwner,
  referralDraftSchema,
  referralDraftListSchema,
  type ReferralDraft,
  type ReferralDraftList,
  type ReferralDrafts,
} from './drafts/referralDrafts';
export { createWebChatBindings, webChatBindingRefreshMs, webChatBindingSchema, type WebChatBinding, type WebChatBindings } from './webChatBindings';
export { chainHash, genesisHash, verifyChain, type ChainReport, type StoredAuditRecord } from './audit/auditChain';
export { rotateEmbeddedDocuments, rotateRedisDocuments, emptyCounts, type RotationCounts } from './store/documentRotation';
export { rotateEmbeddedAudit, rotateRedisAudit } from './audit/auditRotation';
export { rotateEmbeddedOutbox, rotateRedisOutbox } from './outbox/outboxRotation';
export { rotateEmbeddedTranscripts, rotateRedisTranscripts } from './transcripts/transcriptRotation';
export { redisAuditKeys } from './audit/redisAuditLog';
export type { AuditStart } from './audit/auditChain';
export {
  createRedisStoreMarkers,
  createEmbeddedStoreMarkers,
  rememberedMarker,
  redisMarkerKey,
  storeMarkerSchema,
  type StoreMarker,
  type StoreMarkers,
  type RememberedMarker,
} from './store/storeMarker';
export { readRedisSafety, redisSafetyProblems, type RedisSafety } from './store/redisPersistence';
export { sweepTemporaryFiles } from './store/writeAtomically';
export { withFileLock } from './store/fileLock';
export { probeWrite } from './store/embeddedConversationStore';
export { defaultRedisCommandTimeoutMs } from './store/redisClient';
