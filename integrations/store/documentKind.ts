/**
 * Where one kind of document lives and how it is encrypted. Every kind is encrypted: the codec binds
 * `<context>:<storageKey>` as additional data (so a ciphertext moved onto another record does not
 * decrypt), and re-encryption needs no schema, only the same context. There is deliberately no
 * plaintext kind. Storage keys are `storageKeyOf(id)` (40 hex characters) in every kind.
 */
export interface DocumentKind {
  name: string;
  /** Folder under DATA_DIR (embedded): `<folder>/<storageKey>.json`. */
  folder: string;
  /** Key namespace after the prefix (Redis): `<REDIS_KEY_PREFIX>sg:<namespace>:<storageKey>`. */
  namespace: string;
  /** Encryption context (additional data) of each record. */
  context: string;
}
