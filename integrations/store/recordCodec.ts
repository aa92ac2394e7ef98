import { createHash } from 'node:crypto';

// A turn derives the same few keys several times (its conversation, its reference, the awaited-reply
// markers): remembered for the conversations active now, so a hash is computed once per conversation
// rather than about four times per turn. Bounded: the oldest goes first.
const recentKeys = new Map<string, string>();
const maxRecentKeys = 4096;

/**
 * Storage keys are hashes of conversation ids: channel ids can be long, contain characters a file
 * system rejects, and say which tenant a conversation belongs to.
 */
export function storageKeyOf(conversationId: string): string {
  let key = recentKeys.get(conversationId);
  if (key === undefined) {
    key = createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 40);
    recentKeys.set(conversationId, key);
    if (recentKeys.size > maxRecentKeys) recentKeys.delete(recentKeys.keys().next().value!);
  }
  return key;
}
