import { z } from 'zod';
import type { DocumentStore } from '../store/conversationStore';

const urgencyRank = { immediate: 0, 'same-day': 1, routine: 2 } as const;

/**
 * A case for a CSE coordinator: a parked referral, or a professional who asked to talk. The summary
 * carries references and the screening result, no more personal data than a coordinator needs to
 * pick it up; the referrer's conversation reference lets the coordinator's answer reach them.
 */
export const handoffSchema = z.object({
  handoffId: z.string().min(1),
  /** `store-reset`: the service's own alert that the store was reset (issue 18 item 2); no referrer to tell. */
  kind: z.enum(['parked-referral', 'talk-to-coordinator', 'unacknowledged-referral', 'store-reset', 'mash-credentials']),
  referrer: z.object({
    channelId: z.string(),
    conversation: z.record(z.string(), z.unknown()),
    name: z.string().optional(),
    organisation: z.string().optional(),
    /** The professional's role, as their sign-in gave it. */
    role: z.string().optional(),
    /** A phone number to call them back on, once a flow collects it (not yet: the board says "not given"). */
    phone: z.string().optional(),
  }),
  summary: z.string().min(1).max(2000),
  category: z.number().int().min(0).max(4).optional(),
  urgency: z.enum(['immediate', 'same-day', 'routine']),
  createdAt: z.string(),
  status: z.enum(['open', 'claimed', 'closed']),
  claimedBy: z.string().optional(),
  /** Who claimed it, by identity (session or Entra id): ownership is checked on this, the name is for reading (pen test L1). */
  claimedById: z.string().optional(),
  claimedAt: z.string().optional(),
  closedAt: z.string().optional(),
  messages: z.array(z.object({ at: z.string(), from: z.enum(['coordinator', 'referrer']), text: z.string().max(4000), by: z.string().optional() })),
  /** The card in the coordinators' Teams channel, so every change updates it for everyone. */
  card: z.object({ conversationId: z.string(), activityId: z.string() }).optional(),
});
export type Handoff = z.infer<typeof handoffSchema>;
export const handoffIndexSchema = z.object({ ids: z.array(z.string()) });
/** A coordinator's question waiting for the referrer's next message in their conversation. */
export const awaitingReplySchema = z.object({ handoffId: z.string().min(1) });
export type AwaitingReply = z.infer<typeof awaitingReplySchema>;

export type ClaimResult = { ok: true; handoff: Handoff; fresh: boolean } | { ok: false; reason: 'not-found' | 'closed' } | { ok: false; reason: 'taken'; claimedBy: string };

/** Whether `byId` (else, for a claim recorded before ids were kept, the name `by`) holds the claim. */
export function isClaimer(handoff: Pick<Handoff, 'claimedBy' | 'claimedById'>, by: string | undefined, byId?: string): boolean {
  if (handoff.claimedById !== undefined) return handoff.claimedById === byId;
  return handoff.claimedBy === by;
}

/** How long an unclaimed handoff may wait before it is flagged (from the partnership's strategy). */
export const overdueAfterMs = { immediate: 15 * 60_000, 'same-day': 2 * 3600_000 } as const;

/** Computed from timestamps, never from timers, so nothing is lost on restart. */
export function isOverdue(handoff: Handoff, nowMs: number): boolean {
  if (handoff.status !== 'open' || handoff.urgency === 'routine') return false;
  return nowMs - Date.parse(handoff.createdAt) > overdueAfterMs[handoff.urgency];
}

/** Most urgent first, then the highest category, then the oldest. */
export function triageOrder(a: Handoff, b: Handoff): number {
  return urgencyRank[a.urgency] - urgencyRank[b.urgency] || (b.category ?? -1) - (a.category ?? -1) || a.createdAt.localeCompare(b.createdAt);
}

/** The coordinators' queue (embedded or Redis through the document stores); opening is idempotent by id. */
export interface HandoffStores {
  items: DocumentStore<Handoff>;
  index: DocumentStore<z.infer<typeof handoffIndexSchema>>;
  /** Keyed by the referrer's conversation id. */
  awaiting: DocumentStore<AwaitingReply>;
}

export function createHandoffQueue(stores: HandoffStores, now: () => number = Date.now) {
  async function addToIndex(id: string): Promise<void> {
    for (;;) {
      const { rev, record } = await stores.index.load('all');
      if (record?.ids.includes(id)) return;
      if ((await stores.index.save('all', { ids: [...(record?.ids ?? []), id] }, rev)).ok) return;
    }
  }
  /** Every handoff still held, closed ones included (erasure looks through them). */
  async function all(): Promise<Handoff[]> {
    const ids = (await stores.index.load('all')).record?.ids ?? [];
    return (await Promise.all(ids.map(async (id) => (await stores.items.load(id)).record))).filter((h): h is Handoff => h !== undefined);
  }
  return {
    async open(handoff: Handoff): Promise<{ opened: boolean }> {
      const saved = await stores.items.save(handoff.handoffId, handoff, 0);
      await addToIndex(handoff.handoffId);
      return { opened: saved.ok };
    },
    get: async (id: string) => (await stores.items.load(id)).record,
    /**
     * Changes a handoff with compare-and-set, reloading on a conflict, so two coordinators acting at
     * once never overwrite each other. `change` returns undefined to leave it as it is.
     */
    async update(id: string, change: (handoff: Handoff) => Handoff | undefined): Promise<Handoff | undefined> {
      for (;;) {
        const { rev, record } = await stores.items.load(id);
        if (!record) return undefined;
        const next = change(record);
        if (!next) return record;
        if ((await stores.items.save(id, next, rev)).ok) return next;
      }
    },
    /**
     * Exactly one of two coordinators claiming at once wins; the other learns who has it. With `byId`
     * the claim is theirs by identity (two coordinators with one display name are two people).
     */
    async claim(id: string, by: string, byId?: string): Promise<ClaimResult> {
      for (;;) {
        const { rev, record } = await stores.items.load(id);
        if (!record) return { ok: false, reason: 'not-found' };
        if (record.status === 'closed') return { ok: false, reason: 'closed' };
        if (record.status === 'claimed')
          return isClaimer(record, by, byId) ? { ok: true, handoff: record, fresh: false } : { ok: false, reason: 'taken', claimedBy: record.claimedBy ?? 'another coordinator' };
        const claimed: Handoff = { ...record, status: 'claimed', claimedBy: by, ...(byId ? { claimedById: byId } : {}), claimedAt: new Date(now()).toISOString() };
        if ((await stores.items.save(id, claimed, rev)).ok) return { ok: true, handoff: claimed, fresh: true };
      }
    },
    /** The referrer's next message in `conversationId` answers this handoff's question. */
    async awaitReply(conversationId: string, handoffId: string): Promise<void> {
      const { rev } = await stores.awaiting.load(conversationId);
      await stores.awaiting.save(conversationId, { handoffId }, rev);
    },
    /** Takes the waiting question, once: a second message is an ordinary message again. */
    /** Whether a coordinator's question waits in this conversation (read only: `takeAwaiting` takes it). */
    hasAwaiting: async (conversationId: string): Promise<boolean> => (await stores.awaiting.load(conversationId)).record !== undefined,
    async takeAwaiting(conversationId: string): Promise<AwaitingReply | undefined> {
      const { record } = await stores.awaiting.load(conversationId);
      if (!record) return undefined;
      await stores.awaiting.delete(conversationId);
      return record;
    },
    all,
    /** Erasure: the handoff (its messages and referrer details) and its place in the index. */
    async erase(id: string): Promise<void> {
      await stores.items.delete(id);
      for (;;) {
        const { rev, record } = await stores.index.load('all');
        if (!record?.ids.includes(id)) return;
        if ((await stores.index.save('all', { ids: record.ids.filter((other) => other !== id) }, rev)).ok) return;
      }
    },
    /** The question waiting in a conversation goes when it is this handoff's (answered elsewhere: from the tab). */
    async forgetAwaitingIf(conversationId: string, handoffId: string): Promise<void> {
      const { record } = await stores.awaiting.load(conversationId);
      if (record?.handoffId === handoffId) await stores.awaiting.delete(conversationId);
    },
    /** Erasure: a coordinator's question waiting for an answer in a conversation. */
    forgetAwaiting: (conversationId: string) => stores.awaiting.delete(conversationId),
    /** Open and claimed handoffs in triage order, each with its overdue flag. */
    async triaged(): Promise<Array<Handoff & { overdue: boolean }>> {
      const open = (await all()).filter((h) => h.status !== 'closed');
      return open.sort(triageOrder).map((h) => ({ ...h, overdue: isOverdue(h, now()) }));
    },
  };
}

export type HandoffQueue = ReturnType<typeof createHandoffQueue>;
