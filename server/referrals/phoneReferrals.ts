import type { PendingEffect } from '../../flows';
import type { ReferralRegistry } from '../../integrations';
import { aadOwnerKeyOf, ownerKeyOf } from './referralService';

/**
 * REFERRALS=phone: the effect handler that records a referral the professional phones through. It is
 * listed in "my referrals" (and the tab) with status `phone`, like a queued one, but nothing goes to the
 * outbox: there is no intake API to deliver to. Idempotent by clientReference (register changes nothing twice).
 */
export function phoneReferralHandler({ registry, now = () => new Date() }: { registry: ReferralRegistry; now?: () => Date }) {
  return async ({ effect, actor, reference }: PendingEffect<'referral.phone'>): Promise<void> => {
    const { urgency, category } = effect.payload;
    const clientReference = effect.id;
    await registry.register({
      clientReference,
      ownerKey: ownerKeyOf(actor.channelId, actor.userId),
      channelId: actor.channelId,
      conversation: reference ?? {},
      createdAt: now().toISOString(),
      status: 'phone',
      ...(category !== undefined ? { category } : {}),
      ...(urgency ? { urgency } : {}),
      events: [],
    });
    // Teams gives the Entra object id: index by it too, so the tab (signed in by SSO) lists it.
    const aadObjectId = (reference?.user as { aadObjectId?: unknown } | undefined)?.aadObjectId;
    if (typeof aadObjectId === 'string' && aadObjectId) await registry.linkOwner(aadOwnerKeyOf(aadObjectId), clientReference);
  };
}
