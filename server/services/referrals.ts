import type { ReferralSchemaVersion } from '../../flows';
import type { Outbox } from '../../integrations';
import { createApplyMashEvent } from './applyMashEvent';
import { createDeliverReferral } from './deliverReferral';
import { createFileReferral } from './fileReferral';
import { createMyReferrals } from './myReferrals';
import { createReferralNotices, type ReferralPorts } from './referralNotices';

export interface ReferralServiceOptions extends ReferralPorts {
  /** The MASH outbox: referrals, intelligence and answers to the MASH's questions. */
  outbox: Outbox;
  /**
   * `MASH_SCHEMA_VERSION` as the service resolves it: with "1", a referral whose only version 2 need is its
   * MARF answers is filed as version 1 and the answers kept in its record. Unset: filed as built.
   */
  mashSchemaVersion?: ReferralSchemaVersion;
}

/**
 * The referral use cases over one set of ports, as the composition root, the pipeline and the tests take
 * them: file (`enqueue`, `recordPhoned`), deliver (`onDelivered`, `onParked`), apply a MASH event
 * (`onMashEvent`), tell the referrer later (`runFollowUp`) and my referrals (`listFor`, `listForAad`,
 * `answerQuestion`, `message`). Each lives in its own module; this only wires them to the shared notices.
 */
export function createReferralService(options: ReferralServiceOptions) {
  const { outbox, registry, handoffs, pack, now } = options;
  const notices = createReferralNotices(options);
  const file = createFileReferral({ outbox, registry, notices, now, mashSchemaVersion: options.mashSchemaVersion });
  const delivery = createDeliverReferral({ registry, handoffs, notices });
  const mine = createMyReferrals({ registry, outbox, pack, now });
  return {
    enqueue: file.enqueue,
    recordPhoned: file.recordPhoned,
    onDelivered: delivery.onDelivered,
    onParked: delivery.onParked,
    onMashEvent: createApplyMashEvent({ registry, notices }),
    runFollowUp: notices.runFollowUp,
    ...mine,
  };
}

export type ReferralService = ReturnType<typeof createReferralService>;
