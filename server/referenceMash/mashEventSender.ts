import { randomUUID } from 'node:crypto';
import { DomainError, mashEventSchema, type Decision, type MashEvent } from '../../flows';
import { signMashEvent } from '../../integrations';
import type { Delivery, MashReferral } from './referenceMashRecords';

/** Where status events go (the service's `POST /api/mash/events`) and the secret that signs them. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** What a MASH worker decided to tell the referrer. */
export type EventDraft = { type: 'referral.acknowledged' } | { type: 'referral.decision'; decision: Decision } | { type: 'referral.info-requested'; question: string };

/** A webhook that has not answered by then is recorded as not delivered; the page offers a resend. */
const deliveryTimeoutMs = 5000;

/** The event's wire form, fields in the contract's order: stored events come back from zod in schema order. */
export function eventJson(event: MashEvent): string {
  const { eventId, occurredAt, type, referralId, reference, clientReference } = event;
  return JSON.stringify({
    eventId,
    occurredAt,
    type,
    referralId,
    reference,
    clientReference,
    ...(event.type === 'referral.decision' ? { decision: event.decision } : {}),
    ...(event.type === 'referral.info-requested' ? { question: event.question } : {}),
  });
}

/** A new event about `referral`, checked against the same schema the service parses it with. */
export function mashEventOf(referral: MashReferral, draft: EventDraft, at: Date): MashEvent {
  const parsed = mashEventSchema.safeParse({
    eventId: `evt-${randomUUID()}`,
    occurredAt: at.toISOString(),
    referralId: referral.referralId,
    reference: referral.reference,
    clientReference: referral.clientReference,
    ...draft,
  });
  if (!parsed.success) throw new DomainError('SG-HTTP-BAD-REQUEST', `the event does not match the contract: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/**
 * Sends status events the way the partnership's MASH does: `X-MASH-Timestamp` (unix seconds) and
 * `X-MASH-Signature` over the exact bytes sent. A resend signs again with a fresh timestamp, because
 * the receiver refuses signatures older than five minutes; the eventId stays, so it is not acted on twice.
 */
export function createEventSender(options: { webhook: WebhookTarget; now: () => Date; fetch?: typeof fetch }) {
  const fetchFn = options.fetch ?? fetch;
  const closing = new AbortController();

  async function deliver(event: MashEvent): Promise<Delivery> {
    const at = options.now();
    const body = eventJson(event);
    const timestamp = String(Math.floor(at.getTime() / 1000));
    try {
      const response = await fetchFn(options.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mash-timestamp': timestamp, 'x-mash-signature': signMashEvent(body, timestamp, options.webhook.secret) },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(deliveryTimeoutMs)]),
      });
      await response.body?.cancel();
      return { at: at.toISOString(), status: response.status };
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError';
      return { at: at.toISOString(), failure: timedOut ? 'no answer in time' : 'could not reach the webhook' };
    }
  }

  return { deliver, close: () => closing.abort() };
}

export type EventSender = ReturnType<typeof createEventSender>;
