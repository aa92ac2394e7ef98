export { createEnvelopeCipher, encryptionKey, keyIdOf, type EncryptionKey, type EnvelopeCipher } from './crypto/envelopeCipher';
export type { ConversationStore, SaveResult, StoredConversation } from './store/conversationStore';
export { createRecordCodec, storageKeyOf, type RecordCodec } from './store/recordCodec';
export { createEmbeddedConversationStore, type EmbeddedStoreOptions } from './store/embeddedConversationStore';
export { createRedisConversationStore, type RedisStoreOptions } from './store/redisConversationStore';
export { createRedisClient } from './store/redisClient';
