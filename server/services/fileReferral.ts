import { isDomainError, type PendingEffect } from '../../flows';
import { intelligenceOutboxEntry, referralOutboxEntry, type Outbox, type ReferralRegistry, type ReferralTracking } from '../../integrations';
import { aadOwnerKeyOf, ownerKeyOf, type ReferralNotices } from './referralNotices';

export interface FileReferralPorts {
  outbox: Outbox;
  registry: ReferralRegistry;
  notices: ReferralNotices;
  now?: () => Date;
}

/** Teams gives the Entra object id: index by it too, so the tab (signed in by SSO) lists the referral. */
async function linkAadOwner(registry: ReferralRegistry, reference: PendingEffect['reference'], clientReference: string): Promise<void> {
  const aadObjectId = (reference?.user as { aadObjectId?: unknown } | undefined)?.aadObjectId;
  if (typeof aadObjectId === 'string' && aadObjectId) await registry.linkOwner(aadOwnerKeyOf(aadObjectId), clientReference);
}

/**
 * Filing a referral, the use case behind the flows' `outbox.enqueue` and `referral.phone` effects: start
 * tracking it for "my referrals", then queue it for the MASH (or, with REFERRALS=phone, record the one the
 * professional phones through). Each step is idempotent by the effect id (the clientReference), because an
 * effect may run twice.
 */
export function createFileReferral({ outbox, registry, notices, now = () => new Date() }: FileReferralPorts) {
  /** A referral's tracking from its first moment: whose it is (by a key that names no one), where to tell them. */
  function newTracking(
    clientReference: string,
    { actor, reference }: Pick<PendingEffect, 'actor' | 'reference'>,
    status: ReferralTracking['status'],
    category?: number,
    urgency?: string,
  ): ReferralTracking {
    return {
      clientReference,
      ownerKey: ownerKeyOf(actor.channelId, actor.userId),
      channelId: actor.channelId,
      conversation: reference ?? {},
      createdAt: now().toISOString(),
      status,
      ...(category !== undefined ? { category } : {}),
      ...(urgency !== undefined ? { urgency } : {}),
      events: [],
    };
  }

  /** Effect handler for `outbox.enqueue` (referral or intelligence). */
  async function enqueue({ effect, actor, reference }: PendingEffect<'outbox.enqueue'>): Promise<void> {
    const { payload } = effect;
    if (payload.kind === 'intelligence') {
      await outbox.enqueue(intelligenceOutboxEntry(payload.body));
      return;
    }
    // Read with care until referralOutboxEntry below checks it: the effect's schema only knows it is an object.
    const { body } = payload;
    const clientReference = effect.id;
    const tracking = newTracking(
      clientReference,
      { actor, reference },
      'queued',
      typeof body.screening?.category === 'number' ? body.screening.category : undefined,
      typeof body.urgency === 'string' ? body.urgency : undefined,
    );
    await registry.register(tracking);
    await linkAadOwner(registry, reference, clientReference);
    try {
      await outbox.enqueue(referralOutboxEntry(body, { clientReference }));
    } catch (error) {
      // A body the contract refuses will never be delivered: park it now rather than retry every turn.
      if (isDomainError(error) && error.code === 'SG-VALIDATION-REFERRAL') return notices.park(tracking, error.detail ?? 'invalid referral');
      throw error;
    }
  }

  /**
   * Effect handler for `referral.phone` (REFERRALS=phone): listed in "my referrals" (and the tab) with status
   * `phone`, like a queued one, but nothing goes to the outbox: there is no intake API to deliver to.
   */
  async function recordPhoned({ effect, actor, reference }: PendingEffect<'referral.phone'>): Promise<void> {
    const { urgency, category } = effect.payload;
    const clientReference = effect.id;
    await registry.register(newTracking(clientReference, { actor, reference }, 'phone', category, urgency || undefined));
    await linkAadOwner(registry, reference, clientReference);
  }

  return { enqueue, recordPhoned };
}

export type FileReferral = ReturnType<typeof createFileReferral>;
