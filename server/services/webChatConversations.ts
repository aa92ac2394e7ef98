import type { Logger } from 'pino';
import { storageKeyOf, webChatBindingRefreshMs, type ProfessionalIdentity, type TranscriptStore, type WebChatBindings } from '../../integrations';

export interface WebChatConversationsPorts {
  bindings: WebChatBindings;
  /** Whether a bound conversation still exists, and whose it is. */
  transcripts: Pick<TranscriptStore, 'meta'>;
  /** A new, unguessable Direct Line conversation id. */
  newConversationId(): string;
  logger: Logger;
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
  /** At most one refresh of a binding per conversation in this time, per instance (default `webChatBindingRefreshMs`). */
  refreshEveryMs?: number;
}

/** The conversation a page is to show: the professional's current one (`resumed`), or a new one just bound to them. */
export interface CurrentConversation {
  conversationId: string;
  resumed: boolean;
}

/**
 * A binding whose conversation has no transcript yet is a page that bound it a moment ago and is starting
 * it now: another page of the same person joins it rather than binding a second one. Past this, a binding
 * whose transcript never appeared (the page was closed before it started) is replaced.
 */
const startingGraceMs = 2 * 60_000;
/** Tries before giving up when other pages keep binding in between (each try is a read and a compare-and-set). */
const maxAttempts = 5;

/**
 * Web chat continuity (issue 20 item 1): one conversation per signed-in professional, bound to the
 * sign-in's user id server-side, resumed by every page they open (reload, a new tab, another device once
 * signed in there) for as long as the conversation is kept, so the transcript, the pending question and
 * any question a coordinator or the MASH sends later are all in the one place they look.
 */
export function createWebChatConversations(ports: WebChatConversationsPorts) {
  const { bindings, transcripts, logger } = ports;
  const now = ports.now ?? Date.now;
  const refreshEveryMs = ports.refreshEveryMs ?? webChatBindingRefreshMs;
  /** Per conversation seen here: whose it is and when its binding was last refreshed (an instance's memory, bounded). */
  const seen = new Map<string, { userId?: string; refreshedAt: number }>();

  /** The bound conversation if it is still theirs to resume: its transcript exists, or it is being started. */
  async function resumable(user: ProfessionalIdentity, conversationId: string, boundAt: string): Promise<CurrentConversation | undefined> {
    const meta = await transcripts.meta(conversationId);
    if (meta && meta.user.id === user.id) return { conversationId, resumed: true };
    if (meta) {
      // Never another person's conversation, whatever a binding says (ids are random: this should not happen).
      logger.warn({ conversation: storageKeyOf(conversationId) }, 'web chat binding named a conversation of someone else: replaced');
      return undefined;
    }
    return now() - Date.parse(boundAt) < startingGraceMs ? { conversationId, resumed: false } : undefined;
  }

  async function currentFor(user: ProfessionalIdentity): Promise<CurrentConversation> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const { rev, binding } = await bindings.load(user.id);
      const current = binding && (await resumable(user, binding.conversationId, binding.boundAt));
      if (current) {
        touch(current.conversationId, user.id);
        return current;
      }
      const conversationId = ports.newConversationId();
      if (await bindings.bind(user.id, conversationId, rev)) {
        seen.set(conversationId, { userId: user.id, refreshedAt: now() });
        return { conversationId, resumed: false };
      }
    }
    // Other pages of the same person kept binding in between: this page gets a conversation of its own.
    logger.warn('web chat binding contended: a page starts an unbound conversation');
    return { conversationId: ports.newConversationId(), resumed: false };
  }

  /** Refreshes the conversation's binding, at most once per interval per conversation here; never waits. */
  function touch(conversationId: string, userId?: string): void {
    const known = seen.get(conversationId);
    if (known && now() - known.refreshedAt < refreshEveryMs) return;
    prune();
    const owner = userId ?? known?.userId;
    seen.set(conversationId, { ...(owner ? { userId: owner } : {}), refreshedAt: now() });
    void refresh(conversationId, owner);
  }

  async function refresh(conversationId: string, knownUserId?: string): Promise<void> {
    try {
      const userId = knownUserId ?? (await transcripts.meta(conversationId))?.user.id;
      if (userId) await bindings.refresh(userId, conversationId);
    } catch (error) {
      seen.delete(conversationId); // the next activity tries again
      logger.warn({ err: error, conversation: storageKeyOf(conversationId) }, 'web chat binding not refreshed');
    }
  }

  /** Forgets conversations not refreshed within an interval, so the map stays small on a busy instance. */
  function prune(): void {
    if (seen.size < 10_000) return;
    for (const [id, known] of seen) if (now() - known.refreshedAt >= refreshEveryMs) seen.delete(id);
  }

  return {
    /** The professional's current conversation, or a new one bound to them. Called for every page they open. */
    currentFor,
    /**
     * The transcript of a conversation grew (the professional wrote, the bot answered, a coordinator or
     * the MASH sent a question): its binding lives on with it. Never waits and never throws.
     */
    grew(conversationId: string): void {
      touch(conversationId);
    },
  };
}

export type WebChatConversations = ReturnType<typeof createWebChatConversations>;
