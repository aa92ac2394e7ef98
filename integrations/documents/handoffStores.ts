import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { openEmbeddedDocumentStores, openRedisDocumentStores, type DocumentStores } from './documentStores';
import type { HandoffStores } from '../handoffs/handoffQueue';

const handoffKinds = ['handoffs', 'handoff-index', 'handoff-awaiting'] as const;

/** The queue's three stores, picked by role from the document kinds' stores (embedded or Redis). */
export function handoffStoresOf<S extends DocumentStores<(typeof handoffKinds)[number]>>(stores: S) {
  return { items: stores.handoffs, index: stores['handoff-index'], awaiting: stores['handoff-awaiting'] } satisfies HandoffStores;
}

/** The handoff kinds read only the closed-handoff period; the conversation and draft periods are never used here. */
const handoffPeriods = (closedHandoffMs: number) => ({ closedHandoffMs, conversationMs: closedHandoffMs, draftMs: closedHandoffMs });

/** The queue's stores alone, as the service opens them. `closedHandoffMs`: RETENTION_HANDOFF_DAYS, in ms. */
export async function embeddedHandoffStores(dataDir: string, cipher: EnvelopeCipher, closedHandoffMs: number) {
  return handoffStoresOf(await openEmbeddedDocumentStores({ dataDir, cipher, periods: handoffPeriods(closedHandoffMs) }, handoffKinds));
}

export function redisHandoffStores(redis: Redis, cipher: EnvelopeCipher, closedHandoffMs: number, keyPrefix?: string): HandoffStores {
  return handoffStoresOf(openRedisDocumentStores({ redis, cipher, periods: handoffPeriods(closedHandoffMs), ...(keyPrefix ? { keyPrefix } : {}) }, handoffKinds));
}
