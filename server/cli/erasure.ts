import { withdrawnReason, type Handoff, type ReferralTracking } from '../../integrations';
import { webChatChannelId } from '../../bot/directLineAdapter';
import type { Persistence } from '../createPersistence';
import { aadOwnerKeyOf, ownerKeyOf } from '../services/referralNotices';

export type ErasureCounts = Record<string, number>;

/** Removes what is held about one conversation; counts per kind (0 when there was nothing). */
export async function eraseConversation(persistence: Persistence, conversationId: string): Promise<ErasureCounts> {
  const state = await persistence.store.load(conversationId);
  if (state.rev > 0) await persistence.store.delete(conversationId);
  // Whose web chat it was, read before the transcript goes: their binding to it goes too (a page would start afresh anyway).
  const owner = (await persistence.transcripts.meta(conversationId))?.user.id;
  const transcript = await persistence.transcripts.erase(conversationId);
  const binding = owner !== undefined && (await persistence.webChatBindings.forgetConversation(owner, conversationId));
  // Waiting questions hold no personal data themselves, but would route a later answer into a gone conversation.
  await Promise.all([persistence.referrals.forgetQuestion(conversationId), persistence.handoffs.forgetAwaiting(conversationId)]);
  return { conversation: state.rev > 0 ? 1 : 0, transcript: transcript ? 1 : 0, 'webchat-binding': binding ? 1 : 0 };
}

/**
 * Channels whose user ids we key by. A professional id is hashed together with its channel, so an id
 * given on the command line is tried under each, and as an Entra object id (Teams and signed-in tab).
 */
export const professionalChannels = ['msteams', webChatChannelId, 'emulator'] as const;

const ownerKeysOf = (professionalId: string) => [...professionalChannels.map((channel) => ownerKeyOf(channel, professionalId)), aadOwnerKeyOf(professionalId)];

/** What the service holds about one professional, found through the hashed keys their id gives. */
export interface ProfessionalHoldings {
  referrals: ReferralTracking[];
  /** Referrals whose payload is still in the outbox: a child's referral that has not reached the MASH. */
  undelivered: ReferralTracking[];
  handoffs: Handoff[];
  /** Handoffs a coordinator is still working on. */
  activeHandoffs: Handoff[];
  conversationIds: string[];
  /** Their web chat conversation (issue 20 item 1), bound to their sign-in: erased with the others. */
  boundConversationId?: string;
}

type ConversationReference = { conversation?: { id?: unknown }; user?: { id?: unknown; aadObjectId?: unknown } };
const conversationIdOf = (reference: Record<string, unknown> | undefined) => {
  const id = (reference as ConversationReference | undefined)?.conversation?.id;
  return typeof id === 'string' ? id : undefined;
};
const sameId = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function referredBy(handoff: Handoff, professionalId: string, conversationIds: Set<string>): boolean {
  const reference = handoff.referrer.conversation as ConversationReference;
  const conversationId = conversationIdOf(handoff.referrer.conversation);
  return sameId(reference.user?.id, professionalId) || sameId(reference.user?.aadObjectId, professionalId) || (conversationId !== undefined && conversationIds.has(conversationId));
}

/** Looks, erases nothing: the CLI shows this first and refuses when a referral is still on its way. */
export async function findProfessionalHoldings(persistence: Persistence, professionalId: string): Promise<ProfessionalHoldings> {
  const listed = (await Promise.all(ownerKeysOf(professionalId).map((key) => persistence.referrals.listForOwner(key)))).flat();
  const referrals = [...new Map(listed.map((r) => [r.clientReference, r])).values()];
  const undelivered: ReferralTracking[] = [];
  for (const referral of referrals) {
    const record = await persistence.outbox.get(referral.clientReference);
    if (record && (record.status === 'pending' || (record.status === 'parked' && record.lastError !== withdrawnReason))) undelivered.push(referral);
  }
  const references = await Promise.all([
    ...professionalChannels.map((channelId) => persistence.conversationReferences.latest({ channelId, userId: professionalId })),
    persistence.conversationReferences.latestForAad(professionalId),
  ]);
  const conversationIds = new Set(
    [...references.map((stored) => conversationIdOf(stored?.reference)), ...referrals.map((r) => conversationIdOf(r.conversation))].filter((id): id is string => id !== undefined),
  );
  const bound = (await persistence.webChatBindings.load(professionalId)).binding?.conversationId;
  if (bound) conversationIds.add(bound);
  const handoffs = (await persistence.handoffs.all()).filter((h) => referredBy(h, professionalId, conversationIds));
  for (const handoff of handoffs) {
    const id = conversationIdOf(handoff.referrer.conversation);
    if (id) conversationIds.add(id);
  }
  return {
    referrals,
    undelivered,
    handoffs,
    activeHandoffs: handoffs.filter((h) => h.status !== 'closed'),
    conversationIds: [...conversationIds],
    ...(bound ? { boundConversationId: bound } : {}),
  };
}

/**
 * Erases what `holdings` found. Undelivered referrals are withdrawn from the outbox (payload purged,
 * parked as withdrawn): the caller must only pass them after the operator forced it. Audit records
 * stay (see docs/security.md, "Erasure"): the erasure itself is audited by the caller.
 */
export async function eraseProfessional(persistence: Persistence, professionalId: string, holdings: ProfessionalHoldings): Promise<ErasureCounts> {
  for (const referral of holdings.undelivered) await persistence.outbox.withdraw(referral.clientReference);
  for (const referral of holdings.referrals) await persistence.referrals.forget(referral.clientReference);
  await Promise.all(ownerKeysOf(professionalId).map((key) => persistence.referrals.forgetOwner(key)));
  await Promise.all([
    ...professionalChannels.map((channelId) => persistence.conversationReferences.forget({ channelId, userId: professionalId })),
    persistence.conversationReferences.forget({ aadObjectId: professionalId }),
  ]);
  for (const handoff of holdings.handoffs) await persistence.handoffs.erase(handoff.handoffId);
  // Their unfinished referrals (issue 20 item 2): what they typed about a child, never sent.
  const drafts = (await Promise.all(ownerKeysOf(professionalId).map((key) => persistence.drafts.forgetOwner(key)))).reduce((a, b) => a + b, 0);
  const counts: ErasureCounts = { conversation: 0, transcript: 0, 'webchat-binding': 0, 'referral-draft': drafts };
  for (const conversationId of holdings.conversationIds) {
    const erased = await eraseConversation(persistence, conversationId);
    for (const [kind, n] of Object.entries(erased)) counts[kind] = (counts[kind] ?? 0) + n;
  }
  // Whatever it names (a conversation already gone, or one another page was starting): the binding is theirs.
  if (await persistence.webChatBindings.forget(professionalId)) counts['webchat-binding'] = Math.max(counts['webchat-binding'], 1);
  return { ...counts, referral: holdings.referrals.length, withdrawn: holdings.undelivered.length, handoff: holdings.handoffs.length };
}
