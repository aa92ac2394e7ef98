import type { Redis } from 'ioredis';
import { createEncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { createEmbeddedDocumentStore } from '../store/embeddedConversationStore';
import { createRedisDocumentStore } from '../store/redisConversationStore';
import { awaitingReplySchema, handoffIndexSchema, handoffSchema, type HandoffStores } from './handoffQueue';

/** The queue's documents, encrypted (a handoff holds the referrer's name and the coordinator's questions). */
function codecs(cipher: EnvelopeCipher) {
  return {
    items: createEncryptedJsonCodec(cipher, handoffSchema, (k) => `handoff:${k}`),
    index: createEncryptedJsonCodec(cipher, handoffIndexSchema, (k) => `handoff-index:${k}`),
    awaiting: createEncryptedJsonCodec(cipher, awaitingReplySchema, (k) => `handoff-awaiting:${k}`),
  };
}

export async function embeddedHandoffStores(dataDir: string, cipher: EnvelopeCipher, ttlMs: number) {
  const c = codecs(cipher);
  return {
    items: await createEmbeddedDocumentStore({ dataDir, folder: 'handoffs', codec: c.items, ttlMs }),
    index: await createEmbeddedDocumentStore({ dataDir, folder: 'handoff-index', codec: c.index, ttlMs }),
    awaiting: await createEmbeddedDocumentStore({ dataDir, folder: 'handoff-awaiting', codec: c.awaiting, ttlMs }),
  };
}

export function redisHandoffStores(redis: Redis, cipher: EnvelopeCipher, ttlMs: number, keyPrefix?: string): HandoffStores {
  const c = codecs(cipher);
  const prefix = keyPrefix ? { keyPrefix } : {};
  return {
    items: createRedisDocumentStore({ redis, codec: c.items, ttlMs, namespace: 'handoff', ...prefix }),
    index: createRedisDocumentStore({ redis, codec: c.index, ttlMs, namespace: 'handoff-index', ...prefix }),
    awaiting: createRedisDocumentStore({ redis, codec: c.awaiting, ttlMs, namespace: 'handoff-awaiting', ...prefix }),
  };
}
