import type { ConversationRecord } from '../../flows';

/** What a load finds. `rev` is 0 when nothing is stored (or it expired); the next save expects it. */
export interface StoredDocument<T> {
  rev: number;
  record?: T;
  /** A record existed but could not be decrypted or validated; the dialogue starts again. */
  unreadable?: boolean;
}

export type SaveResult = { ok: true; rev: number } | { ok: false; reason: 'conflict' };

/** A guarded save that wrote nothing because documents it was told to check exist (their guard names). */
export type GuardedSaveResult = SaveResult | { ok: false; reason: 'present'; present: string[] };

export type StoredConversation = StoredDocument<ConversationRecord>;

/**
 * Durable, encrypted documents with expiry. `save` is a compare-and-set on `rev`: it succeeds only when
 * nothing else saved the document since it was loaded, so two writers on two instances never lose an
 * update. Keys are hashed before they reach a file name or a Redis key.
 */
/** How long a document is kept after a save: fixed, or chosen from what is saved. */
export type DocumentTtl<T> = number | ((record: T) => number);
export const ttlOf = <T>(ttl: DocumentTtl<T>, record: T): number => (typeof ttl === 'function' ? ttl(record) : ttl);

export interface DocumentStore<T> {
  readonly kind: 'embedded' | 'redis';
  load(key: string): Promise<StoredDocument<T>>;
  /**
   * For a load that a `save` will follow (a turn): may answer from what this instance last saved or saw,
   * without a round trip, because the save's compare-and-set checks it anyway. Never for a read that
   * decides on its own. Unset: `load`.
   */
  loadForUpdate?(key: string): Promise<StoredDocument<T>>;
  save(key: string, record: T, expectedRev: number): Promise<SaveResult>;
  /**
   * Names (`guards`) of other documents, keyed by the same key, that `saveUnlessPresent` checks in the same
   * atomic step as its compare-and-set. Unset or empty: there is no such step (embedded store, Redis Cluster).
   */
  readonly guards?: readonly string[];
  /**
   * `save`, unless one of the named guard documents exists: then nothing is written and the result names
   * those present. A method of its own, not an option of `save`, so that a wrapper that overrides `save`
   * and spreads the rest can never drop the check while still claiming it.
   */
  saveUnlessPresent?(key: string, record: T, expectedRev: number, guards: readonly string[]): Promise<GuardedSaveResult>;
  delete(key: string): Promise<void>;
  /**
   * Every live, readable record, in no particular order (sweeps at start-up; never on a request path).
   * `onUnreadable` is told the storage key of each live one that cannot be read, so a sweep can say so.
   */
  records(onUnreadable?: (storageKey: string) => void): AsyncIterable<T>;
  /** Throws when the store cannot serve requests (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Dialogue state, one document per conversation. */
export type ConversationStore = DocumentStore<ConversationRecord>;
