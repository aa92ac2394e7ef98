import { decisionWords, type MashEvent } from '../../flows';
import type { ReferralRegistry } from '../../integrations';
import { hashed, type ReferralNotices } from './referralNotices';

export interface ApplyMashEventPorts {
  registry: ReferralRegistry;
  notices: ReferralNotices;
}

export type MashEventOutcome = 'applied' | 'duplicate' | 'unknown-referral';

/**
 * A verified MASH status event (acknowledged, a decision, a question), applied to the referral it names:
 * recorded in its tracking, audited, and told to the referrer; a question waits in their conversation for
 * their answer. `server/referrals/mashWebhook.ts` checks the signature and the window, then calls this.
 */
export function createApplyMashEvent({ registry, notices }: ApplyMashEventPorts) {
  const { say, now } = notices;

  /**
   * A repeated eventId changes nothing. Applied first, marked seen last: a failure part-way answers 5xx and
   * the MASH's retry applies what is missing (each step is idempotent by the event id), instead of being
   * taken for a duplicate. Events are kept in the order they occurred, and an acknowledgement that arrives
   * after a later event (a decision) is recorded without a notice.
   */
  return async function onMashEvent(event: MashEvent): Promise<MashEventOutcome> {
    if (await registry.seen(event.eventId)) return 'duplicate';
    const entry = {
      eventId: event.eventId,
      type: event.type,
      occurredAt: event.occurredAt,
      ...(event.type === 'referral.decision' ? { decision: event.decision } : {}),
      ...(event.type === 'referral.info-requested' ? { question: event.question } : {}),
    };
    let added = false;
    const tracking = await registry.update(event.clientReference, (t) => {
      if (t.events.some((e) => e.eventId === event.eventId)) return undefined;
      added = true;
      const events = [...t.events, entry].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      return { ...t, reference: t.reference ?? event.reference, events };
    });
    if (!tracking) return 'unknown-referral';
    await notices.record(
      `mash-${event.eventId}`,
      'referral-event',
      tracking,
      {
        event: event.type.replace(/^referral\./, ''),
        ...(event.type === 'referral.decision' ? { outcome: event.decision.outcome } : {}),
      },
      event.occurredAt,
    );
    if (event.type === 'referral.info-requested') {
      const conversationId = (tracking.conversation as { conversation?: { id?: string } }).conversation?.id;
      if (conversationId) {
        await registry.askInConversation(conversationId, {
          clientReference: tracking.clientReference,
          referralId: event.referralId,
          eventId: event.eventId,
          reference: event.reference,
          askedAt: now().toISOString(),
        });
      }
    }
    const overtaken = event.type === 'referral.acknowledged' && tracking.events.some((e) => e.eventId !== event.eventId && Date.parse(e.occurredAt) > Date.parse(event.occurredAt));
    if (!overtaken) {
      const key = event.type === 'referral.acknowledged' ? 'referral-acknowledged' : event.type === 'referral.decision' ? 'referral-decision' : 'referral-info-requested';
      const values: Record<string, string> = { reference: event.reference };
      if (event.type === 'referral.decision') {
        values.outcome = decisionWords(say, event.decision.outcome, 'sentence') ?? event.decision.outcome;
        values.note = event.decision.note ? ` ${event.decision.note}` : '';
      }
      if (event.type === 'referral.info-requested') values.question = event.question;
      await notices.tell(
        tracking,
        hashed(event.eventId),
        key,
        values,
        { type: 'safeguarding.referralUpdate', reference: event.reference, event: event.type, ...(event.type === 'referral.decision' ? { decision: event.decision } : {}) },
        added,
      );
    }
    await registry.firstSighting(event.eventId, now().toISOString());
    return added ? 'applied' : 'duplicate';
  };
}
