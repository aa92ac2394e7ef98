/** What an instance last knew of a stored key: revision, epoch and (readable records) the plaintext JSON. */
export interface RememberedRevision {
  rev: number;
  /** Redis: the key's random epoch. Embedded: the hash of the file's exact text (what a save must still find). */
  epoch: string;
  json?: string;
  /** Embedded: when the document expires (a remembered one past it reads as gone, as its file would). */
  expiresAt?: number;
}

export interface RememberedRevisionsOptions {
  /** Most keys remembered; the least recently used goes first. */
  maxEntries: number;
  /** Older than this, a key is loaded again (bounds how long decrypted state stays in memory). */
  maxAgeMs: number;
  now?: () => number;
}

/**
 * A bounded, ageing map of the last revision seen per key. Only a hint: every save is still a
 * compare-and-set on revision and epoch, so a stale entry costs one failed script, never a lost update.
 */
export function createRememberedRevisions({ maxEntries, maxAgeMs, now = Date.now }: RememberedRevisionsOptions) {
  const entries = new Map<string, RememberedRevision & { at: number }>();
  return {
    get(key: string): RememberedRevision | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() - entry.at > maxAgeMs) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key: string, value: RememberedRevision): void {
      entries.delete(key); // re-inserted last: Map order is the recency order
      entries.set(key, { ...value, at: now() });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    delete(key: string): void {
      entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}
