import { z } from 'zod';
import { marfFieldsSchema } from '../../flows';
import type { DocumentStore } from '../store/conversationStore';

const referralEventSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  decision: z.object({ outcome: z.string(), note: z.string().optional() }).optional(),
  question: z.string().optional(),
  /** `referral.answer-sent` (issue 20 item 3): the info request this answer went to the MASH for. */
  inReplyTo: z.string().optional(),
});

/**
 * What we keep about a referral after it is filed: where to tell the referrer, and its progress at the
 * MASH. No child details, except `notSent`: the payload lives (encrypted) in the outbox until delivery,
 * then is gone.
 */
export const referralTrackingSchema = z.object({
  clientReference: z.string(),
  /** A hash of the professional's channel id: "my referrals" lists by it. */
  ownerKey: z.string(),
  channelId: z.string(),
  /** The Bot Framework conversation reference for proactive messages. */
  conversation: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  /** `phone`: REFERRALS=phone, nothing queued; the professional phones it through with the record they were given. */
  status: z.enum(['queued', 'delivered', 'parked', 'phone']),
  reference: z.string().optional(),
  referralId: z.string().optional(),
  category: z.number().int().min(0).max(4).optional(),
  urgency: z.string().optional(),
  parkedReason: z.string().optional(),
  /**
   * The MARF answers a version 1 MASH could not take (issue 21): kept here (the store is encrypted) so the
   * referrer can see them in "my referrals" and give them when the MASH asks; gone with the tracking.
   */
  notSent: marfFieldsSchema.optional(),
  events: z.array(referralEventSchema),
});

export type ReferralTracking = z.infer<typeof referralTrackingSchema>;
export type ReferralEvent = z.infer<typeof referralEventSchema>;
export const ownerIndexSchema = z.object({ refs: z.array(z.string()) });
export const seenEventSchema = z.object({ at: z.string() });

/** A MASH question waiting for the referrer's answer in one conversation. */
export const pendingQuestionSchema = z.object({
  clientReference: z.string(),
  referralId: z.string(),
  eventId: z.string(),
  reference: z.string(),
  askedAt: z.string(),
});
export type PendingQuestion = z.infer<typeof pendingQuestionSchema>;

export interface ReferralRegistryStores {
  referrals: DocumentStore<ReferralTracking>;
  owners: DocumentStore<z.infer<typeof ownerIndexSchema>>;
  events: DocumentStore<z.infer<typeof seenEventSchema>>;
  /** Keyed by conversation id: the MASH question the referrer's next message answers. */
  questions: DocumentStore<PendingQuestion>;
}

/** Load, change, compare-and-set; again on a conflict. Returns the saved value, or the current one when `apply` returned undefined (nothing to change). */
async function change<T>(store: DocumentStore<T>, key: string, apply: (current: T | undefined) => T | undefined): Promise<T | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rev, record } = await store.load(key);
    const next = apply(record);
    if (next === undefined) return record;
    if ((await store.save(key, next, rev)).ok) return next;
  }
  throw new Error('referral registry: too many conflicting updates');
}

/** Tracks filed referrals for status updates, "my referrals" and proactive messages; all updates are CAS. */
export function createReferralRegistry(stores: ReferralRegistryStores) {
  const linkOwner = async (ownerKey: string, clientReference: string): Promise<void> => {
    await change(stores.owners, ownerKey, (index) => (index?.refs.includes(clientReference) ? undefined : { refs: [...(index?.refs ?? []), clientReference] }));
  };
  return {
    /** Registers once; a second register of the same clientReference (a re-run effect) changes nothing. */
    async register(tracking: ReferralTracking): Promise<{ registered: boolean }> {
      let registered = false;
      await change(stores.referrals, tracking.clientReference, (current) => {
        if (current) return undefined;
        registered = true;
        return tracking;
      });
      await linkOwner(tracking.ownerKey, tracking.clientReference);
      return { registered };
    },
    /** Lists a referral under a second owner too (e.g. the Entra object id), idempotently. */
    linkOwner,
    get: async (clientReference: string) => (await stores.referrals.load(clientReference)).record,
    /** A tracking record is stored but cannot be read (torn, noise, another key): unlike an erased one, someone must be told. */
    unreadable: async (clientReference: string) => (await stores.referrals.load(clientReference)).unreadable === true,
    update: (clientReference: string, apply: (current: ReferralTracking) => ReferralTracking | undefined) =>
      change(stores.referrals, clientReference, (current) => (current ? apply(current) : undefined)),
    async listForOwner(ownerKey: string): Promise<ReferralTracking[]> {
      const index = (await stores.owners.load(ownerKey)).record;
      const found = await Promise.all((index?.refs ?? []).map(async (ref) => (await stores.referrals.load(ref)).record));
      return found.filter((r): r is ReferralTracking => r !== undefined);
    },
    /** The MASH question this conversation's next message answers (the newest replaces an older one). */
    async askInConversation(conversationId: string, question: PendingQuestion): Promise<void> {
      await change(stores.questions, conversationId, () => question);
    },
    /** Takes the waiting question once: two messages racing for it cannot both answer it. */
    async takeQuestion(conversationId: string): Promise<PendingQuestion | undefined> {
      const { rev, record } = await stores.questions.load(conversationId);
      if (!record) return undefined;
      const taken = await stores.questions.save(conversationId, { ...record, eventId: '' }, rev);
      if (!taken.ok || !record.eventId) return undefined;
      await stores.questions.delete(conversationId);
      return record;
    },
    /** Erasure: the tracking record of one referral (the MASH keeps its own; updates stop reaching us). */
    forget: (clientReference: string) => stores.referrals.delete(clientReference),
    /** Erasure: the "my referrals" index of one owner key. */
    forgetOwner: (ownerKey: string) => stores.owners.delete(ownerKey),
    /** Erasure: a MASH question waiting in a conversation. */
    forgetQuestion: (conversationId: string) => stores.questions.delete(conversationId),
    /** The question waiting in a conversation goes when it is this one (answered elsewhere: from the tab). */
    async forgetQuestionIf(conversationId: string, eventId: string): Promise<void> {
      const { record } = await stores.questions.load(conversationId);
      if (record?.eventId === eventId) await stores.questions.delete(conversationId);
    },
    /** Whether an event id was fully applied before (read only: `firstSighting` marks it, last). */
    seen: async (eventId: string) => (await stores.events.load(eventId)).record !== undefined,
    /** True the first time an event id is seen: the MASH may deliver an event more than once. */
    async firstSighting(eventId: string, at: string): Promise<boolean> {
      return (await stores.events.save(eventId, { at }, 0)).ok;
    },
  };
}

export type ReferralRegistry = ReturnType<typeof createReferralRegistry>;
