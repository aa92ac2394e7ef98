import type { Redis } from 'ioredis';
import { createEncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { createEmbeddedDocumentStore } from '../store/embeddedConversationStore';
import { createRedisDocumentStore } from '../store/redisConversationStore';
import { awaitingReplySchema, handoffIndexSchema, handoffSchema, type Handoff, type HandoffStores } from './handoffQueue';

/**
 * An open or claimed handoff is a child's case in progress: it must not vanish because nobody touched it
 * for RETENTION_HANDOFF_DAYS. It is kept a year from its last change (a ceiling, so an abandoned one still
 * goes), and the retention period runs from closing. The index lives as long as the longest handoff.
 */
export const activeHandoffTtlMs = 365 * 24 * 3600 * 1000;
const handoffTtl = (closedTtlMs: number) => (handoff: Handoff) => (handoff.status === 'closed' ? closedTtlMs : Math.max(activeHandoffTtlMs, closedTtlMs));

/** The queue's documents, encrypted (a handoff holds the referrer's name and the coordinator's questions). */
function codecs(cipher: EnvelopeCipher) {
  return {
    items: createEncryptedJsonCodec(cipher, handoffSchema, (k) => `handoff:${k}`),
    index: createEncryptedJsonCodec(cipher, handoffIndexSchema, (k) => `handoff-index:${k}`),
    awaiting: createEncryptedJsonCodec(cipher, awaitingReplySchema, (k) => `handoff-awaiting:${k}`),
  };
}

/** `ttlMs`: how long a closed handoff is kept (RETENTION_HANDOFF_DAYS). */
export async function embeddedHandoffStores(dataDir: string, cipher: EnvelopeCipher, ttlMs: number) {
  const c = codecs(cipher);
  return {
    items: await createEmbeddedDocumentStore({ dataDir, folder: 'handoffs', codec: c.items, ttlMs: handoffTtl(ttlMs) }),
    index: await createEmbeddedDocumentStore({ dataDir, folder: 'handoff-index', codec: c.index, ttlMs: Math.max(activeHandoffTtlMs, ttlMs) }),
    awaiting: await createEmbeddedDocumentStore({ dataDir, folder: 'handoff-awaiting', codec: c.awaiting, ttlMs }),
  };
}

export function redisHandoffStores(redis: Redis, cipher: EnvelopeCipher, ttlMs: number, keyPrefix?: string): HandoffStores {
  const c = codecs(cipher);
  const prefix = keyPrefix ? { keyPrefix } : {};
  return {
    items: createRedisDocumentStore({ redis, codec: c.items, ttlMs: handoffTtl(ttlMs), namespace: 'handoff', ...prefix }),
    index: createRedisDocumentStore({ redis, codec: c.index, ttlMs: Math.max(activeHandoffTtlMs, ttlMs), namespace: 'handoff-index', ...prefix }),
    awaiting: createRedisDocumentStore({ redis, codec: c.awaiting, ttlMs, namespace: 'handoff-awaiting', ...prefix }),
  };
}
