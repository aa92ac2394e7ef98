export { createEnvelopeCipher, encryptionKey, keyIdOf, type EncryptionKey, type EnvelopeCipher } from './crypto/envelopeCipher';
export { createEncryptedJsonCodec, type EncryptedJsonCodec } from './crypto/encryptedJsonCodec';
export type { ConversationStore, SaveResult, StoredConversation } from './store/conversationStore';
export { createRecordCodec, storageKeyOf, type RecordCodec } from './store/recordCodec';
export { createEmbeddedConversationStore, type EmbeddedStoreOptions } from './store/embeddedConversationStore';
export { createRedisConversationStore, type RedisStoreOptions } from './store/redisConversationStore';
export { createRedisClient } from './store/redisClient';
export { auditEntrySchema, type AuditEntry, type AuditActor, type AuditLog } from './audit/auditLog';
export { createAuditCodec, type AuditCodec } from './audit/auditCodec';
export { createEmbeddedAuditLog } from './audit/embeddedAuditLog';
export { createRedisAuditLog } from './audit/redisAuditLog';
export { createEffectSink, auditAppendHandler, type EffectHandler, type EffectSink } from './effects/effectSink';
export {
  activityIdOf,
  professionalIdentitySchema,
  transcriptActivitySchema,
  type ProfessionalIdentity,
  type TranscriptActivity,
  type TranscriptEntry,
  type TranscriptMeta,
  type TranscriptStore,
} from './transcripts/transcriptStore';
export { createTranscriptCodec, type TranscriptCodec } from './transcripts/transcriptCodec';
export { createEmbeddedTranscriptStore, type EmbeddedTranscriptStoreOptions } from './transcripts/embeddedTranscriptStore';
export { createRedisTranscriptStore, type RedisTranscriptStoreOptions } from './transcripts/redisTranscriptStore';
