import { createHash } from 'node:crypto';

/**
 * Storage keys are hashes of conversation ids: channel ids can be long, contain characters a file
 * system rejects, and say which tenant a conversation belongs to.
 */
export function storageKeyOf(conversationId: string): string {
  return createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 40);
}
