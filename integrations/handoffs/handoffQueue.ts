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
  kind: z.enum(['parked-referral', 'talk-to-coordinator']),
  referrer: z.object({ channelId: z.string(), conversation: z.record(z.string(), z.unknown()), name: z.string().optional(), organisation: z.string().optional() }),
  summary: z.string().min(1).max(2000),
  category: z.number().int().min(0).max(4).optional(),
  urgency: z.enum(['immediate', 'same-day', 'routine']),
  createdAt: z.string(),
  status: z.enum(['open', 'claimed', 'closed']),
  claimedBy: z.string().optional(),
  messages: z.array(z.object({ at: z.string(), from: z.enum(['coordinator', 'referrer']), text: z.string() })),
});
export type Handoff = z.infer<typeof handoffSchema>;
export const handoffIndexSchema = z.object({ ids: z.array(z.string()) });

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
export function createHandoffQueue(stores: { items: DocumentStore<Handoff>; index: DocumentStore<z.infer<typeof handoffIndexSchema>> }, now: () => number = Date.now) {
  async function addToIndex(id: string): Promise<void> {
    for (;;) {
      const { rev, record } = await stores.index.load('all');
      if (record?.ids.includes(id)) return;
      if ((await stores.index.save('all', { ids: [...(record?.ids ?? []), id] }, rev)).ok) return;
    }
  }
  return {
    async open(handoff: Handoff): Promise<{ opened: boolean }> {
      const saved = await stores.items.save(handoff.handoffId, handoff, 0);
      await addToIndex(handoff.handoffId);
      return { opened: saved.ok };
    },
    get: async (id: string) => (await stores.items.load(id)).record,
    /** Open and claimed handoffs in triage order, each with its overdue flag. */
    async triaged(): Promise<Array<Handoff & { overdue: boolean }>> {
      const ids = (await stores.index.load('all')).record?.ids ?? [];
      const items = (await Promise.all(ids.map(async (id) => (await stores.items.load(id)).record))).filter(
        (h): h is Handoff => h !== undefined && h.status !== 'closed',
      );
      return items.sort(triageOrder).map((h) => ({ ...h, overdue: isOverdue(h, now()) }));
    },
  };
}

export type HandoffQueue = ReturnType<typeof createHandoffQueue>;
