import { isDomainError, referralBodySchema, splitForVersion1, type MarfFields, type PendingEffect, type ReferralBody, type ReferralSchemaVersion } from '../../flows';
import { intelligenceOutboxEntry, referralOutboxEntry, type Outbox, type ReferralRegistry, type ReferralTracking } from '../../integrations';
import { aadOwnerKeyOf, ownerKeyOf, type ReferralNotices } from './referralNotices';

export interface FileReferralPorts {
  outbox: Outbox;
  registry: ReferralRegistry;
  notices: ReferralNotices;
  now?: () => Date;
  /** See ReferralServiceOptions.mashSchemaVersion. */
  mashSchemaVersion?: ReferralSchemaVersion;
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
/**
 * What goes to a version 1 MASH (issue 21): a version 2 body whose only version 2 need is its MARF answers
 * goes as version 1, the answers kept; any other (or an unreadable one) as it is, for the client to park or refuse.
 */
function forMash(body: ReferralBody, version: ReferralSchemaVersion | undefined): { body: ReferralBody; notSent?: MarfFields } {
  if (version !== '1') return { body };
  const parsed = referralBodySchema.safeParse(body);
  if (!parsed.success || parsed.data.schemaVersion === '1') return { body };
  const split = splitForVersion1(parsed.data);
  if (!split) return { body };
  // Only the phone (which version 1 carries) was version 2: nothing is kept, so nothing is offered as kept.
  return Object.keys(split.notSent).length ? { body: split.body, notSent: split.notSent } : { body: split.body };
}

export function createFileReferral({ outbox, registry, notices, now = () => new Date(), mashSchemaVersion }: FileReferralPorts) {
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
    const { body: built } = payload;
    const clientReference = effect.id;
    const { body, notSent } = forMash(built, mashSchemaVersion);
    const tracking: ReferralTracking = {
      ...newTracking(
        clientReference,
        { actor, reference },
        'queued',
        typeof built.screening?.category === 'number' ? built.screening.category : undefined,
        typeof built.urgency === 'string' ? built.urgency : undefined,
      ),
      ...(notSent ? { notSent } : {}),
    };
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
