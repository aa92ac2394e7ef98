import { z } from 'zod';
import type { DocumentStore } from '../store/conversationStore';
import { storageKeyOf } from '../store/recordCodec';
import { createKeyedMutex } from '../store/keyedMutex';

/**
 * Where to reach a professional later: the Bot Framework conversation reference of their latest
 * activity. `dead` once the channel said the conversation is gone (403/404); a new activity revives it.
 */
export const storedReferenceSchema = z.object({
  reference: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  dead: z.boolean(),
  deadAt: z.string().optional(),
});
export type StoredReference = z.infer<typeof storedReferenceSchema>;

/** An update we could not deliver: shown in the tab (and available to the web chat) instead. */
export const webNotificationSchema = z.object({
  id: z.string(),
  at: z.string(),
  text: z.string(),
  clientReference: z.string().optional(),
});
export const notificationListSchema = z.object({ items: z.array(webNotificationSchema) });
export type WebNotification = z.infer<typeof webNotificationSchema>;

export interface ConversationReferenceStores {
  references: DocumentStore<StoredReference>;
  notifications: DocumentStore<z.infer<typeof notificationListSchema>>;
}

/** The person behind a reference: channel + user id, and (Teams) the Entra object id. Hashed: keys name no one. */
export interface ReferenceOwner {
  channelId: string;
  userId: string;
  aadObjectId?: string;
}

export const referenceKeyOf = (owner: Pick<ReferenceOwner, 'channelId' | 'userId'>) => storageKeyOf(`ref\n${owner.channelId}\n${owner.userId}`);
export const aadReferenceKeyOf = (aadObjectId: string) => storageKeyOf(`ref\naad\n${aadObjectId.toLowerCase()}`);
export const notificationKeyOf = (owner: Pick<ReferenceOwner, 'channelId' | 'userId'>) => storageKeyOf(`note\n${owner.channelId}\n${owner.userId}`);
export const aadNotificationKeyOf = (aadObjectId: string) => storageKeyOf(`note\naad\n${aadObjectId.toLowerCase()}`);

/** Keep the newest few: an unread list, not an archive. */
const maxNotifications = 50;

async function change<T>(store: DocumentStore<T>, key: string, apply: (current: T | undefined) => T | undefined): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { rev, record } = await store.load(key);
    const next = apply(record);
    if (next === undefined || (await store.save(key, next, rev)).ok) return;
  }
}

/**
 * A reference as far as reaching the person goes. The channel's `activityId` is left out: it names the
 * activity that brought the reference, so it differs on every turn, and compared it made every turn write
 * the reference again (a compare-and-set per turn, issue 23). A proactive notice starts its own activity.
 */
const whereToReach = ({ activityId: _activityId, ...rest }: Record<string, unknown>) => JSON.stringify(rest);

/** How long the same live reference is not written again: every turn calls `remember`, and it rarely changes. */
export const referenceRefreshMs = 60 * 60_000;

/** A reference waiting to be written under one key: the newest `remember` replaces it until its write starts. */
interface QueuedReference {
  stored: StoredReference;
  json: string;
  written: Promise<void>;
}

export function createConversationReferences(stores: ConversationReferenceStores, now: () => Date = () => new Date()) {
  const keysOf = (owner: ReferenceOwner) => [referenceKeyOf(owner), ...(owner.aadObjectId ? [aadReferenceKeyOf(owner.aadObjectId)] : [])];
  // Unchanged, alive and written within the hour: nothing to write (the read stays: it sees a markDead).
  const unchanged = (current: StoredReference | undefined, json: string) =>
    current !== undefined && !current.dead && whereToReach(current.reference) === json && now().getTime() - Date.parse(current.updatedAt) < referenceRefreshMs;
  /**
   * One write at a time per key in this process, and at most one queued behind it, holding the newest
   * reference. The Entra object id's key is shared by every conversation of one person: turns arriving
   * together each loaded it, then failed each other's compare-and-set and retried (2.5 lock rounds per
   * turn in the benchmark, issue 23). Only the latest reference matters, so the queued write takes the
   * newest and every caller it replaced resolves with it.
   */
  const exclusive = createKeyedMutex();
  const queued = new Map<string, QueuedReference>();
  function rememberUnder(key: string, stored: StoredReference, json: string): Promise<void> {
    const waiting = queued.get(key);
    if (waiting) {
      waiting.stored = stored;
      waiting.json = json;
      return waiting.written;
    }
    const entry = { stored, json } as QueuedReference;
    queued.set(key, entry);
    entry.written = exclusive(key, () => {
      queued.delete(key); // from here a newer reference queues behind this write
      return change(stores.references, key, (current) => (unchanged(current, entry.json) ? undefined : entry.stored));
    });
    return entry.written;
  }
  return {
    /** Stores (or revives) the reference under the channel user and, for Teams, the Entra object id. */
    async remember(owner: ReferenceOwner, reference: Record<string, unknown>): Promise<void> {
      const stored: StoredReference = { reference, updatedAt: now().toISOString(), dead: false };
      const json = whereToReach(reference);
      await Promise.all(keysOf(owner).map((key) => rememberUnder(key, stored, json)));
    },
    async latest(owner: Pick<ReferenceOwner, 'channelId' | 'userId'>): Promise<StoredReference | undefined> {
      return (await stores.references.load(referenceKeyOf(owner))).record;
    },
    async latestForAad(aadObjectId: string): Promise<StoredReference | undefined> {
      return (await stores.references.load(aadReferenceKeyOf(aadObjectId))).record;
    },
    /** The channel said this conversation is gone: stop trying it until the person writes again. */
    async markDead(owner: ReferenceOwner): Promise<void> {
      const at = now().toISOString();
      await Promise.all(keysOf(owner).map((key) => change(stores.references, key, (current) => (current && !current.dead ? { ...current, dead: true, deadAt: at } : undefined))));
    },
    /** Puts an undelivered update on the person's web list (idempotent by id). */
    async addNotification(owner: ReferenceOwner, item: WebNotification): Promise<void> {
      const keys = [notificationKeyOf(owner), ...(owner.aadObjectId ? [aadNotificationKeyOf(owner.aadObjectId)] : [])];
      await Promise.all(
        keys.map((key) =>
          change(stores.notifications, key, (list) =>
            list?.items.some((i) => i.id === item.id) ? undefined : { items: [item, ...(list?.items ?? [])].slice(0, maxNotifications) },
          ),
        ),
      );
    },
    /** Erasure: the reference and the unread web list of a channel user, or of an Entra object id. */
    async forget(owner: { channelId: string; userId: string } | { aadObjectId: string }): Promise<void> {
      const keys = 'aadObjectId' in owner ? [aadReferenceKeyOf(owner.aadObjectId), aadNotificationKeyOf(owner.aadObjectId)] : [referenceKeyOf(owner), notificationKeyOf(owner)];
      await Promise.all([stores.references.delete(keys[0]), stores.notifications.delete(keys[1])]);
    },
    async notificationsFor(owner: Pick<ReferenceOwner, 'channelId' | 'userId'>): Promise<WebNotification[]> {
      return (await stores.notifications.load(notificationKeyOf(owner))).record?.items ?? [];
    },
    async notificationsForAad(aadObjectId: string): Promise<WebNotification[]> {
      return (await stores.notifications.load(aadNotificationKeyOf(aadObjectId))).record?.items ?? [];
    },
  };
}

export type ConversationReferences = ReturnType<typeof createConversationReferences>;
