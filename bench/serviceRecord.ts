import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { conversationRecordSchema, type ConversationRecord } from '../flows';
import { createEnvelopeCipher, encryptionKey } from '../integrations/crypto/envelopeCipher';
import { openRedisKind } from '../integrations/documents/documentStores';
import { documentKinds } from '../integrations/documents/documentKinds';
import type { DocumentStore } from '../integrations/store/conversationStore';

/**
 * A conversation record of this build, for the floor that saves one per activity (agentsRepliesFloorBot.ts
 * with BENCH_RECORD_FILE): the cost of durable, encrypted, validated state with no dialogue, measured with the
 * service's own store code rather than a model of it.
 */

export function readConversationRecord(file: string): ConversationRecord {
  return conversationRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Idle conversations' retention as the service's default (24 h); the bench deletes its keys after the run. */
const periods = { conversationMs: 24 * 3_600_000, closedHandoffMs: 0, draftMs: 0 };

/** The conversations store as the service opens it on Redis (remembered revisions, the same codec), under its own random key. */
export function floorConversationStore(redis: Redis, keyPrefix: string): DocumentStore<ConversationRecord> {
  return openRedisKind(documentKinds.conversations, { redis, cipher: createEnvelopeCipher([encryptionKey(randomBytes(32))]), periods, keyPrefix });
}

/** Reads a conversation the service saved in Redis under `STATE_ENCRYPTION_KEY` `key` and `REDIS_KEY_PREFIX` `servicePrefix`. */
export async function loadServiceRecord(redis: Redis, key: Buffer, servicePrefix: string, conversationId: string): Promise<ConversationRecord> {
  // The service puts its kinds under REDIS_KEY_PREFIX + "sg:" (server/createPersistence.ts).
  const store = openRedisKind(documentKinds.conversations, { redis, cipher: createEnvelopeCipher([encryptionKey(key)]), periods, keyPrefix: `${servicePrefix}sg:` });
  const stored = await store.load(conversationId);
  if (!stored.record) throw new Error(`conversation record: the service saved no readable record (revision ${stored.rev})`);
  return stored.record;
}

/** One activity's save, as a turn on one instance makes it: load (remembered after the first), then compare-and-set. */
export async function saveTurnOf(store: DocumentStore<ConversationRecord>, conversationId: string, record: ConversationRecord): Promise<void> {
  const stored = store.loadForUpdate ? await store.loadForUpdate(conversationId) : await store.load(conversationId);
  const saved = await store.save(conversationId, { ...record, turn: (stored.record?.turn ?? 0) + 1 }, stored.rev);
  if (!saved.ok) throw new Error(`conversation record: compare-and-set refused (${saved.reason}) on a conversation only this floor writes`);
}
