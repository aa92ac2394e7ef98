import { intelligenceBodySchema, referralBodySchema, referralMessageSchema, type IntelligenceReceipt, type MessageReceipt, type ReferralReceipt } from '../../flows';
import type { MashClient } from '../mash/mashClient';
import type { MashFailure } from '../mash/mashOutcome';
import type { OutboxEntry, Settlement } from './outbox';

/** What the MASH answered to a delivered entry, by target. */
export type DeliveredAnswer =
  { target: 'referral'; receipt: ReferralReceipt } | { target: 'message'; receipt: MessageReceipt } | { target: 'intelligence'; receipt: IntelligenceReceipt };

type DeliveredSettlement = Extract<Settlement, { outcome: 'delivered' }>;
export type Delivery = { kind: 'delivered'; answer: DeliveredAnswer; settlement: DeliveredSettlement } | MashFailure;

const notContract = (what: string) => ({ kind: 'permanent', reason: `the queued ${what} no longer matches the MASH contract` }) as const;

/** One attempt at one entry; the Idempotency-Key is always the clientReference. */
export async function deliverEntry(client: MashClient, entry: OutboxEntry): Promise<Delivery> {
  const key = entry.clientReference;
  switch (entry.target.kind) {
    case 'referral': {
      const body = referralBodySchema.safeParse(entry.body);
      if (!body.success) return notContract('referral');
      const outcome = await client.submitReferral(body.data, key);
      if (outcome.kind !== 'delivered') return outcome;
      const { reference, referralId } = outcome.body;
      return { kind: 'delivered', answer: { target: 'referral', receipt: outcome.body }, settlement: { outcome: 'delivered', reference, referralId } };
    }
    case 'message': {
      const body = referralMessageSchema.safeParse(entry.body);
      if (!body.success) return notContract('message');
      const outcome = await client.postMessage(entry.target.referralId, body.data, key);
      if (outcome.kind !== 'delivered') return outcome;
      const settlement: DeliveredSettlement = { outcome: 'delivered', reference: outcome.body.messageId, referralId: entry.target.referralId };
      return { kind: 'delivered', answer: { target: 'message', receipt: outcome.body }, settlement };
    }
    case 'intelligence': {
      const body = intelligenceBodySchema.safeParse(entry.body);
      if (!body.success) return notContract('intelligence');
      const outcome = await client.postIntelligence(body.data, key);
      if (outcome.kind !== 'delivered') return outcome;
      return { kind: 'delivered', answer: { target: 'intelligence', receipt: outcome.body }, settlement: { outcome: 'delivered', reference: outcome.body.intelligenceId } };
    }
    case 'follow-up':
      return { kind: 'permanent', reason: 'a follow-up job is not for the MASH' };
  }
}
