import type { DeliveredAnswer, DeliveredItem, HandoffQueue, OutboxItem, ReferralRegistry } from '../../integrations';
import type { ReferralNotices } from './referralNotices';

export interface DeliverReferralPorts {
  registry: ReferralRegistry;
  handoffs?: HandoffQueue;
  notices: ReferralNotices;
}

/**
 * What the delivery worker reports about a referral: it arrived (tell the referrer the MASH reference and
 * expect an acknowledgement), or it cannot be delivered and is parked (a coordinator phones it through).
 * The worker itself (claims, retries, the parked probe) is `integrations/outbox/deliveryWorker.ts`,
 * started by `deliverOutbox.ts`.
 */
export function createDeliverReferral({ registry, handoffs, notices }: DeliverReferralPorts) {
  const { say, now } = notices;

  /** The handoff opened when a referral was parked, told that it arrived after all: closed if nobody took it, noted if somebody did. */
  async function reconcileHandoff(handoffId: string, reference: string): Promise<void> {
    const note = say('handoff-summary-arrived-late', { reference });
    await handoffs?.update(handoffId, (h) => {
      if (h.summary.includes(note)) return undefined;
      const summary = `${note} ${h.summary}`.slice(0, 2000);
      return h.status === 'open' ? { ...h, summary, status: 'closed', closedAt: now().toISOString() } : { ...h, summary };
    });
  }

  /**
   * The MASH has the referral. Every step is idempotent and the whole callback may run again (a crash, or
   * a step failing: the worker then retries the entry and the MASH answers with a replay), so the notice
   * and the acknowledgement check are queued on every run, once by their keys. A referral that was parked
   * (out of budget, then delivered by a probe or a replay) is reconciled: the referrer is told it did
   * arrive after all, and the coordinator's handoff says so.
   */
  async function onDelivered(item: DeliveredItem, answer: DeliveredAnswer): Promise<void> {
    if (answer.target !== 'referral') return;
    const { reference, referralId } = answer.receipt;
    let changed = false; // without the follow-up queue, a repeated callback must not tell the referrer twice
    const tracking = await registry.update(item.record.clientReference, (t) => {
      if (t.status === 'delivered') return undefined;
      changed = true;
      return { ...t, status: 'delivered', reference, referralId };
    });
    if (!tracking) return notices.untracked(item.record.clientReference, { event: 'delivered', reference });
    await notices.record(`${tracking.clientReference}.delivered`, 'referral-event', tracking, { event: 'delivered' });
    const parkedHandoff = await handoffs?.get(`parked-${tracking.clientReference}`);
    const late = Boolean(parkedHandoff || tracking.parkedReason);
    if (parkedHandoff) await reconcileHandoff(parkedHandoff.handoffId, reference);
    await notices.tell(
      tracking,
      'delivered',
      // The MARF answers a version 1 MASH could not take (issue 21): the referrer is told they are kept to give when asked.
      late ? 'referral-delivered-late' : tracking.notSent ? 'referral-delivered-kept' : 'referral-delivered',
      { clientReference: tracking.clientReference, reference },
      { type: 'safeguarding.referralFiled', status: 'delivered', clientReference: tracking.clientReference, reference },
      changed,
    );
    await notices.expectAcknowledgement(tracking);
  }

  async function onParked(item: OutboxItem, reason: string, code?: string): Promise<void> {
    const tracking = await registry.get(item.record.clientReference);
    if (!tracking) return notices.untracked(item.record.clientReference, { event: 'parked', reason });
    if (tracking.status !== 'parked') await notices.park(tracking, reason, code);
  }

  return { onDelivered, onParked };
}

export type DeliverReferral = ReturnType<typeof createDeliverReferral>;
