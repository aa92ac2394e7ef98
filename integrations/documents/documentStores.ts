import type { Redis } from 'ioredis';
import type { ConversationRecord } from '../../flows';
import { createEncryptedJsonCodec, type EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import type { DocumentStore } from '../store/conversationStore';
import { documentKindNames, documentKinds, type DocumentKindName, type DocumentKindRow, type RecordOfKind, type RetentionPeriods } from './documentKinds';
import { createEmbeddedDocumentStore, type EmbeddedStoreOptions } from '../store/embeddedConversationStore';
import { createRedisDocumentStore, type RedisStoreOptions } from '../store/redisConversationStore';

/** A kind's records, encrypted under its context and validated by its schema on the way back. */
export function codecOf<T>(kind: DocumentKindRow<T>, cipher: EnvelopeCipher): EncryptedJsonCodec<T> {
  return createEncryptedJsonCodec(cipher, kind.schema, (storageKey) => `${kind.context}:${storageKey}`);
}

export type EmbeddedDocumentStore<T> = Awaited<ReturnType<typeof createEmbeddedDocumentStore<T>>>;

export interface EmbeddedKindOptions {
  dataDir: string;
  cipher: EnvelopeCipher;
  periods: RetentionPeriods;
  /** The group-commit journal's timed checkpoint (see groupCommitJournal.ts); 60 s when unset. */
  checkpointAfterMs?: number;
}

export interface RedisKindOptions {
  redis: Redis;
  cipher: EnvelopeCipher;
  periods: RetentionPeriods;
  /** Keeps tests and several deployments on one server apart (`sg:` when unset). */
  keyPrefix?: string;
}

/** One kind's store in files under `DATA_DIR/<folder>`. */
export function openEmbeddedKind<T>(kind: DocumentKindRow<T>, options: EmbeddedKindOptions): Promise<EmbeddedDocumentStore<T>> {
  return createEmbeddedDocumentStore({
    dataDir: options.dataDir,
    folder: kind.folder,
    codec: codecOf(kind, options.cipher),
    ttlMs: kind.retention(options.periods),
    checkpointAfterMs: options.checkpointAfterMs,
    ...(kind.namespace === documentKinds.conversations.namespace ? { remember: rememberedConversations } : {}),
  });
}

/**
 * Conversations are loaded and saved on every turn, by whichever instance the channel picked: each
 * instance remembers the revision it last saw of its recent conversations (at most 5,000, for 10 minutes,
 * about 10 MB at 2 KB each), so a turn on the instance that took the previous one is one compare-and-set.
 */
export const rememberedConversations = { maxEntries: 5000, maxAgeMs: 10 * 60_000 };

/**
 * What a turn's save can check in its own atomic step (issue 23): a coordinator's question or a MASH
 * question waiting for the conversation's next message. Both kinds are keyed by the conversation id, as
 * the conversation is, so the store finds them by its key alone.
 */
export const conversationGuards = {
  coordinator: documentKinds['handoff-awaiting'].namespace,
  mash: documentKinds['mash-questions'].namespace,
} as const;
export type ConversationGuard = keyof typeof conversationGuards;

/** One kind's store in Redis under `<prefix><namespace>:`. */
export function openRedisKind<T>(kind: DocumentKindRow<T>, options: RedisKindOptions): DocumentStore<T> {
  const prefix = options.keyPrefix ? { keyPrefix: options.keyPrefix } : {};
  const remember = kind.namespace === documentKinds.conversations.namespace ? { remember: rememberedConversations, guards: conversationGuards } : {};
  return createRedisDocumentStore({
    redis: options.redis,
    namespace: kind.namespace,
    codec: codecOf(kind, options.cipher),
    ttlMs: kind.retention(options.periods),
    ...prefix,
    ...remember,
  });
}

export type EmbeddedDocumentStores<K extends DocumentKindName = DocumentKindName> = { [P in K]: EmbeddedDocumentStore<RecordOfKind<P>> };
/** One store per named kind, typed by its row (either backend). */
export type DocumentStores<K extends DocumentKindName = DocumentKindName> = { [P in K]: DocumentStore<RecordOfKind<P>> };

/** The named kinds' stores (every kind by default), as files under DATA_DIR. */
export async function openEmbeddedDocumentStores<K extends DocumentKindName = DocumentKindName>(
  options: EmbeddedKindOptions,
  names: readonly K[] = documentKindNames as K[],
): Promise<EmbeddedDocumentStores<K>> {
  const open = async <N extends K>(name: N) => [name, await openEmbeddedKind<RecordOfKind<N>>(documentKinds[name], options)] as const;
  const stores = await Promise.all(names.map(open));
  // A record built by key loses the link between each key and its record type; the rows guarantee it.
  return Object.fromEntries(stores) as EmbeddedDocumentStores<K>;
}

/** The named kinds' stores (every kind by default), on one Redis client. */
export function openRedisDocumentStores<K extends DocumentKindName = DocumentKindName>(
  options: RedisKindOptions,
  names: readonly K[] = documentKindNames as K[],
): DocumentStores<K> {
  const open = <N extends K>(name: N) => [name, openRedisKind<RecordOfKind<N>>(documentKinds[name], options)] as const;
  return Object.fromEntries(names.map(open)) as DocumentStores<K>;
}

/** Conversation records, keyed by storage key. */
export function createRecordCodec(cipher: EnvelopeCipher): RecordCodec {
  return codecOf(documentKinds.conversations, cipher);
}

export type RecordCodec = EncryptedJsonCodec<ConversationRecord>;

/** Conversation state under `DATA_DIR/conversations`, with the caller's codec and retention. */
export const createEmbeddedConversationStore = (options: Omit<EmbeddedStoreOptions<ConversationRecord>, 'folder'>) =>
  createEmbeddedDocumentStore<ConversationRecord>({ ...options, folder: documentKinds.conversations.folder });

/** Conversation state in Redis (`<prefix>conv:<hash>`), with the caller's codec and retention. */
export const createRedisConversationStore = (options: Omit<RedisStoreOptions<ConversationRecord>, 'namespace'>) =>
  createRedisDocumentStore<ConversationRecord>({ ...options, namespace: documentKinds.conversations.namespace });
