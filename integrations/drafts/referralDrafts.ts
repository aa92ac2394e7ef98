import { z } from 'zod';
import { DomainError, type ReferralDraftCarry } from '../../flows';
import type { DocumentStore } from '../store/conversationStore';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** The flows' own summaries, saved and read back by the same machines: only their being objects is checked. */
const carried = <K extends 'screening' | 'triage' | 'consent'>() => z.custom<NonNullable<ReferralDraftCarry[K]>>(isObject).optional();

/** One unfinished referral: who started it, when, the answers so far and what it started from. */
export const referralDraftSchema = z.object({
  draftId: z.string().min(1).max(64),
  /** Who, as the audit names them: the channel and its user id (never the child). */
  actor: z.object({ channelId: z.string(), userId: z.string(), userName: z.string().optional() }),
  startedAt: z.string(),
  savedAt: z.string(),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  screening: carried<'screening'>(),
  triage: carried<'triage'>(),
  consent: carried<'consent'>(),
});

/** A professional's drafts, one document per owner key (`ownerKeyOf`), newest last. */
export const referralDraftListSchema = z.object({
  owner: z.string().min(1),
  drafts: z.array(referralDraftSchema).max(50),
});

export type ReferralDraft = z.infer<typeof referralDraftSchema>;
export type ReferralDraftList = z.infer<typeof referralDraftListSchema>;

/** How many unfinished referrals one professional keeps at once; saving one more lets the oldest go. */
export const maxDraftsPerOwner = 10;
const maxAttempts = 10;

/** What the draft as the referral flow resumes it carries (the stored extras stay behind). */
export function draftCarryOf(draft: ReferralDraft): ReferralDraftCarry {
  const { draftId, answers, screening, triage, consent } = draft;
  return { draftId, answers, ...(screening ? { screening } : {}), ...(triage ? { triage } : {}), ...(consent ? { consent } : {}) };
}

/**
 * Unfinished referrals (issue 20 item 2), encrypted like every kind, keyed by owner so "My referrals" lists
 * them in any conversation, and changed by compare-and-set so two instances saving at once lose nothing.
 */
export function createReferralDrafts(store: DocumentStore<ReferralDraftList>) {
  /** Loads, changes and saves the owner's list, again from the top when another writer saved first. */
  async function change<T>(owner: string, edit: (drafts: ReferralDraft[]) => { drafts: ReferralDraft[]; result: T }): Promise<T> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const { rev, record } = await store.load(owner);
      const { drafts, result } = edit(record?.drafts ?? []);
      if (drafts.length === 0) {
        if (rev > 0) await store.delete(owner);
        return result;
      }
      if ((await store.save(owner, { owner, drafts }, rev)).ok) return result;
    }
    throw new DomainError('SG-STORE-CONFLICT', `referral drafts: gave up after ${maxAttempts} attempts`);
  }

  return {
    /** Saves (or updates) a draft; its first save's `startedAt` stays. */
    save(owner: string, draft: ReferralDraft): Promise<void> {
      return change(owner, (drafts) => {
        const before = drafts.find((d) => d.draftId === draft.draftId);
        const others = drafts.filter((d) => d.draftId !== draft.draftId);
        const saved = before ? { ...draft, startedAt: before.startedAt } : draft;
        return { drafts: [...others, saved].slice(-maxDraftsPerOwner), result: undefined };
      });
    },
    /** Removes one draft; the draft removed, or undefined when there was none. */
    discard(owner: string, draftId: string): Promise<ReferralDraft | undefined> {
      return change(owner, (drafts) => ({ drafts: drafts.filter((d) => d.draftId !== draftId), result: drafts.find((d) => d.draftId === draftId) }));
    },
    /** The owner's drafts, newest change first. */
    async list(owner: string): Promise<ReferralDraft[]> {
      const { record } = await store.load(owner);
      return [...(record?.drafts ?? [])].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    /** Erasure: every draft of the owner; how many there were. */
    async forgetOwner(owner: string): Promise<number> {
      const { record } = await store.load(owner);
      await store.delete(owner);
      return record?.drafts.length ?? 0;
    },
    /**
     * Every draft last changed before `cutoff` (ISO), removed and returned so the caller can audit each.
     * The documents outlive their drafts by a day (documentKinds), so this sweep, not the store's expiry,
     * is what removes a draft, and each removal is on the record.
     */
    async expire(cutoff: string): Promise<Array<{ owner: string; draft: ReferralDraft }>> {
      const owners: string[] = [];
      for await (const list of store.records()) if (list.drafts.some((d) => d.savedAt < cutoff)) owners.push(list.owner);
      const expired: Array<{ owner: string; draft: ReferralDraft }> = [];
      for (const owner of owners) {
        const gone = await change(owner, (drafts) => ({ drafts: drafts.filter((d) => d.savedAt >= cutoff), result: drafts.filter((d) => d.savedAt < cutoff) }));
        expired.push(...gone.map((draft) => ({ owner, draft })));
      }
      return expired;
    },
  };
}

export type ReferralDrafts = ReturnType<typeof createReferralDrafts>;
