import { z } from 'zod';
import type { DocumentStore } from '../store/conversationStore';

/**
 * A signed-in professional's current web chat conversation (issue 20 item 1): which Direct Line
 * conversation their next page, tab or device resumes. Keyed by a hash of the sign-in's own user id
 * (the session's, never anything the browser says), so only that sign-in can reach it.
 */
export const webChatBindingSchema = z.object({
  conversationId: z.string().min(1).max(128),
  /** When the conversation was bound: a page that has just bound one may not have started it yet. */
  boundAt: z.string(),
});

export type WebChatBinding = z.infer<typeof webChatBindingSchema>;

/**
 * How often, at most, activity in a conversation re-saves its binding (per instance). The binding is kept
 * this much longer than the conversation, so between two refreshes it never goes before the conversation.
 */
export const webChatBindingRefreshMs = 60_000;

const keyOf = (userId: string) => `webchat-binding\n${userId}`;

/** The binding store keyed by professional; compare-and-set so two pages opening at once agree on one conversation. */
export function createWebChatBindings(store: DocumentStore<WebChatBinding>, now: () => Date = () => new Date()) {
  return {
    /** The binding and its revision (0 when there is none, or it expired); an unreadable one counts as none. */
    async load(userId: string): Promise<{ rev: number; binding?: WebChatBinding }> {
      const { rev, record } = await store.load(keyOf(userId));
      return record ? { rev, binding: record } : { rev };
    },
    /** Binds `conversationId` unless another page bound one since `rev` was read: then false, and the caller reads again. */
    async bind(userId: string, conversationId: string, rev: number): Promise<boolean> {
      return (await store.save(keyOf(userId), { conversationId, boundAt: now().toISOString() }, rev)).ok;
    },
    /**
     * Keeps the binding as long as its conversation: saved again (same record, fresh expiry) when it still
     * names `conversationId`. A lost race means someone saved it just now, which refreshed it too.
     */
    async refresh(userId: string, conversationId: string): Promise<boolean> {
      const { rev, record } = await store.load(keyOf(userId));
      if (record?.conversationId !== conversationId) return false;
      await store.save(keyOf(userId), record, rev);
      return true;
    },
    /** Erasure: the professional's binding, whatever it names; true when there was one. */
    async forget(userId: string): Promise<WebChatBinding | undefined> {
      const { record } = await store.load(keyOf(userId));
      await store.delete(keyOf(userId));
      return record;
    },
    /** Erasure of one conversation: its professional's binding goes too when it names that conversation. */
    async forgetConversation(userId: string, conversationId: string): Promise<boolean> {
      const { record } = await store.load(keyOf(userId));
      if (record?.conversationId !== conversationId) return false;
      await store.delete(keyOf(userId));
      return true;
    },
  };
}

export type WebChatBindings = ReturnType<typeof createWebChatBindings>;
