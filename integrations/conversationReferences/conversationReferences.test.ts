import { randomBytes } from 'node:crypto';
import { createEncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import { createEnvelopeCipher, encryptionKey } from '../crypto/envelopeCipher';
import { createEmbeddedDocumentStore } from '../store/embeddedConversationStore';
import type { DocumentStore } from '../store/conversationStore';
import { testDataDir } from '../../test/support/outboxTesting';
import { aadReferenceKeyOf, createConversationReferences, notificationListSchema, referenceKeyOf, storedReferenceSchema, type StoredReference } from './conversationReferences';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const aadObjectId = '6b5f4c3e-0000-4000-8000-000000000023';

/** The embedded stores, with the saves of each key counted (conflicts included). */
async function countingStores() {
  const dataDir = testDataDir();
  const references = await createEmbeddedDocumentStore({
    dataDir,
    folder: 'conversation-references',
    codec: createEncryptedJsonCodec(cipher, storedReferenceSchema, (k) => `conversation-reference:${k}`),
    ttlMs: 86_400_000,
  });
  const saves = new Map<string, number>();
  const counted: DocumentStore<StoredReference> = {
    ...references,
    save: (key, record, rev) => (saves.set(key, (saves.get(key) ?? 0) + 1), references.save(key, record, rev)),
  };
  const notifications = await createEmbeddedDocumentStore({
    dataDir,
    folder: 'web-notifications',
    codec: createEncryptedJsonCodec(cipher, notificationListSchema, (k) => `web-notifications:${k}`),
    ttlMs: 86_400_000,
  });
  return { references: counted, notifications, saves };
}

describe('conversation references, remembered by turns that arrive together', () => {
  it('one person in 16 Teams conversations at once: the newest reference is kept, without a compare-and-set race per turn', async () => {
    const stores = await countingStores();
    const references = createConversationReferences(stores);
    const owners = Array.from({ length: 16 }, (_, i) => ({ channelId: 'msteams', userId: `29:test-user-${i}`, aadObjectId }));
    const referenceOf = (i: number) => ({ channelId: 'msteams', serviceUrl: 'https://smba.example.test/', conversation: { id: `a:test-conversation-${i}` } });

    await Promise.all(owners.map((owner, i) => references.remember(owner, referenceOf(i))));

    // A proactive update for the person goes to the conversation they used last.
    expect((await references.latestForAad(aadObjectId))?.reference).toEqual(referenceOf(15));
    for (const [i, owner] of owners.entries()) expect((await references.latest(owner))?.reference).toEqual(referenceOf(i));
    // The shared key was written at most twice (the first write, then the newest), never retried on conflicts.
    expect(stores.saves.get(aadReferenceKeyOf(aadObjectId))).toBeLessThanOrEqual(2);
    for (const owner of owners) expect(stores.saves.get(referenceKeyOf(owner))).toBe(1);
  });
});
