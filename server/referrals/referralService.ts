import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { fillCallTokens, isDomainError, type ContentPack, type OutgoingMessage, type PendingEffect } from '../../flows';
import { createHash } from 'node:crypto';
import {
  intelligenceOutboxEntry,
  messageOutboxEntry,
  referralOutboxEntry,
  storageKeyOf,
  type DeliveredAnswer,
  type DeliveredItem,
  type MashEvent,
  type Outbox,
  type OutboxItem,
  type HandoffQueue,
  type ReferralRegistry,
  type ReferralTracking,
  type AuditLog,
} from '../../integrations';

export type Notify = (reference: Partial<ConversationReference>, message: OutgoingMessage) => Promise<boolean>;

export interface ReferralServiceOptions {
  outbox: Outbox;
  registry: ReferralRegistry;
  /** Coordinators' queue: a parked referral becomes a handoff so a person phones it through. */
  handoffs?: HandoffQueue;
  notify: Notify;
  pack: ContentPack;
  logger: Logger;
  now?: () => Date;
  /** Where delivery, parking, MASH events and handoffs are recorded for partnership insight (issue 11). */
  audit?: AuditLog;
}

/**
 * Fills `{name}` placeholders in a pack message (unknown placeholders are left visible, never blank), then
 * the `{{call-now}}` / `{{call:ID}}` tokens for the moment it is sent, with the same function the
 * conversation runtime uses: a notification at 23:00 names the duty team, not a closed help desk.
 */
export function fillPackText(pack: ContentPack, key: string, values: Record<string, string | undefined>, now: Date = new Date()): string {
  const text = pack.messages[key]?.text ?? key;
  // Tokens first, then values: a value (a MASH question) is never read as a token.
  return fillCallTokens(pack, text, now).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Who filed a referral, as a key that names no one: "my referrals" lists by it. */
export function ownerKeyOf(channelId: string, userId: string): string {
  return storageKeyOf(`${channelId}\n${userId}`);
}

/** The owner key of everything filed by one Entra (AAD) object id, from any Teams conversation. */
export function aadOwnerKeyOf(aadObjectId: string): string {
  return ownerKeyOf('aad', aadObjectId.toLowerCase());
}

const decisionWords: Record<string, string> = {
  nfa: 'no further action',
  'early-help': 'early help',
  assessment: 'a social work assessment',
  'strategy-discussion': 'a strategy discussion',
  police: 'referred to the police',
};

/**
 * The I/O half of filing a referral: the `outbox.enqueue` effect (queue it and start tracking it), the
 * delivery worker's callbacks (tell the referrer), MASH status events (tell the referrer), and "my
 * referrals". Every step is idempotent by clientReference or eventId, because each may run twice.
 */
export function createReferralService({ outbox, registry, handoffs, notify, pack, logger, now = () => new Date(), audit }: ReferralServiceOptions) {
  /** An audit record of what happened to a referral: references and outcomes only, appended once by id. */
  async function record(id: string, recordType: string, tracking: ReferralTracking, payload: Record<string, unknown>, at = now().toISOString()): Promise<void> {
    await audit?.append({
      id, recordType, recordedAt: at,
      actor: { channelId: tracking.channelId, userId: 'safeguarding-bot' },
      payload: { recordType, clientReference: tracking.clientReference, ...payload },
    });
  }

  async function tell(tracking: ReferralTracking, message: OutgoingMessage): Promise<void> {
    const told = await notify(tracking.conversation as Partial<ConversationReference>, message);
    if (!told) logger.warn({ referral: tracking.clientReference }, 'referrer not reachable; the update stays in "my referrals"');
  }

  /**
   * What the coordinator and the referrer are told. A referral too new for the MASH (`schema-version`)
   * was never sent: nothing is wrong with it, the MASH's system cannot take it yet, so the referrer
   * phones the Front Door now and a coordinator checks it got through.
   */
  function parkedWords(tracking: ReferralTracking, reason: string, code?: string): { summary: string; text: string } {
    if (code === 'schema-version') {
      return {
        summary: `Referral ${tracking.clientReference} was not sent: it needs MASH contract version 2 (a concern that is not exploitation, or consent not sought because the child is at risk of harm) and this MASH takes version 1 (MASH_SCHEMA_VERSION). Urgency ${tracking.urgency ?? 'unknown'}. The referrer was asked to phone the Front Door; check it arrived.`,
        text: fillPackText(pack, 'referral-parked-version', { clientReference: tracking.clientReference }, now()),
      };
    }
    return {
      summary: `Referral ${tracking.clientReference} could not be delivered to the MASH (${reason}). Screening category ${tracking.category ?? 'unknown'}, urgency ${tracking.urgency ?? 'unknown'}. The referrer was asked to phone the help desk; check it arrived.`,
      text: fillPackText(pack, 'referral-parked', { clientReference: tracking.clientReference, reason }, now()),
    };
  }

  async function park(tracking: ReferralTracking, reason: string, code?: string): Promise<void> {
    const words = parkedWords(tracking, reason, code);
    await registry.update(tracking.clientReference, (t) => ({ ...t, status: 'parked', parkedReason: reason }));
    // A parked referral is a child whose referral has not arrived: loud in the logs, a coordinator's
    // handoff, and the referrer phones. The handoff id is fixed, so a repeated callback opens one.
    logger.error({ referral: tracking.clientReference, reason }, 'referral parked: referrer told to phone the MASH');
    await record(`${tracking.clientReference}.parked`, 'referral-event', tracking, { event: 'parked' });
    const urgency = tracking.urgency === 'immediate' || tracking.urgency === 'routine' ? tracking.urgency : 'same-day';
    if (handoffs) await record(`handoff-parked-${tracking.clientReference}`, 'handoff', tracking, { handoffId: `parked-${tracking.clientReference}`, kind: 'parked-referral', urgency });
    await handoffs?.open({
      handoffId: `parked-${tracking.clientReference}`,
      kind: 'parked-referral',
      referrer: { channelId: tracking.channelId, conversation: tracking.conversation },
      summary: words.summary,
      ...(tracking.category !== undefined ? { category: tracking.category } : {}),
      urgency: tracking.urgency === 'immediate' || tracking.urgency === 'routine' ? tracking.urgency : 'same-day',
      createdAt: now().toISOString(),
      status: 'open',
      messages: [],
    });
    await tell(tracking, {
      text: words.text,
      value: { type: 'safeguarding.referralFiled', status: 'parked', clientReference: tracking.clientReference },
    });
  }

  /** Effect handler for `outbox.enqueue` (referral or intelligence). */
  async function enqueue({ effect, actor, reference }: PendingEffect): Promise<void> {
    const { kind, body } = effect.payload as { kind?: string; body?: Record<string, unknown> };
    if (kind === 'intelligence') {
      await outbox.enqueue(intelligenceOutboxEntry(body as never));
      return;
    }
    const clientReference = effect.id;
    const screening = (body?.screening ?? {}) as { category?: number };
    const tracking: ReferralTracking = {
      clientReference,
      ownerKey: ownerKeyOf(actor.channelId, actor.userId),
      channelId: actor.channelId,
      conversation: reference ?? {},
      createdAt: now().toISOString(),
      status: 'queued',
      ...(typeof screening.category === 'number' ? { category: screening.category } : {}),
      ...(typeof body?.urgency === 'string' ? { urgency: body.urgency } : {}),
      events: [],
    };
    await registry.register(tracking);
    // Teams gives the Entra object id: index by it too, so the tab (signed in by SSO) lists this referral.
    const aadObjectId = (reference?.user as { aadObjectId?: unknown } | undefined)?.aadObjectId;
    if (typeof aadObjectId === 'string' && aadObjectId) await registry.linkOwner(aadOwnerKeyOf(aadObjectId), clientReference);
    try {
      await outbox.enqueue(referralOutboxEntry(body as never, { clientReference }));
    } catch (error) {
      // A body the contract refuses will never be delivered: park it now rather than retry every turn.
      if (isDomainError(error) && error.code === 'SG-VALIDATION-REFERRAL') return park(tracking, error.detail ?? 'invalid referral');
      throw error;
    }
  }

  async function onDelivered(item: DeliveredItem, answer: DeliveredAnswer): Promise<void> {
    if (answer.target !== 'referral') return;
    const { reference, referralId } = answer.receipt;
    let changed = false; // a repeated callback (crash before settle) must not tell the referrer twice
    const tracking = await registry.update(item.record.clientReference, (t) => {
      if (t.status === 'delivered') return undefined;
      changed = true;
      return { ...t, status: 'delivered', reference, referralId };
    });
    if (!tracking || !changed) return;
    await record(`${tracking.clientReference}.delivered`, 'referral-event', tracking, { event: 'delivered' });
    await tell(tracking, {
      text: fillPackText(pack, 'referral-delivered', { clientReference: tracking.clientReference, reference }, now()),
      value: { type: 'safeguarding.referralFiled', status: 'delivered', clientReference: tracking.clientReference, reference },
    });
  }

  async function onParked(item: OutboxItem, reason: string, code?: string): Promise<void> {
    const tracking = await registry.get(item.record.clientReference);
    if (tracking && tracking.status !== 'parked') await park(tracking, reason, code);
  }

  /** A verified MASH status event; a repeated eventId changes nothing. */
  async function onMashEvent(event: MashEvent): Promise<'applied' | 'duplicate' | 'unknown-referral'> {
    if (!(await registry.firstSighting(event.eventId, now().toISOString()))) return 'duplicate';
    const entry = {
      eventId: event.eventId,
      type: event.type,
      occurredAt: event.occurredAt,
      ...(event.type === 'referral.decision' ? { decision: event.decision } : {}),
      ...(event.type === 'referral.info-requested' ? { question: event.question } : {}),
    };
    const tracking = await registry.update(event.clientReference, (t) => ({ ...t, reference: t.reference ?? event.reference, events: [...t.events, entry] }));
    if (!tracking) return 'unknown-referral';
    await record(`mash-${event.eventId}`, 'referral-event', tracking, {
      event: event.type.replace(/^referral\./, ''),
      ...(event.type === 'referral.decision' ? { outcome: event.decision.outcome } : {}),
    }, event.occurredAt);
    if (event.type === 'referral.info-requested') {
      const conversationId = (tracking.conversation as { conversation?: { id?: string } }).conversation?.id;
      if (conversationId) {
        await registry.askInConversation(conversationId, {
          clientReference: tracking.clientReference, referralId: event.referralId, eventId: event.eventId, reference: event.reference, askedAt: now().toISOString(),
        });
      }
    }
    const key = event.type === 'referral.acknowledged' ? 'referral-acknowledged' : event.type === 'referral.decision' ? 'referral-decision' : 'referral-info-requested';
    const text = fillPackText(pack, key, {
      reference: event.reference,
      outcome: event.type === 'referral.decision' ? decisionWords[event.decision.outcome] ?? event.decision.outcome : undefined,
      note: event.type === 'referral.decision' && event.decision.note ? ` ${event.decision.note}` : '',
      question: event.type === 'referral.info-requested' ? event.question : undefined,
    });
    await tell(tracking, {
      text,
      value: { type: 'safeguarding.referralUpdate', reference: event.reference, event: event.type, ...(event.type === 'referral.decision' ? { decision: event.decision } : {}) },
    });
    return 'applied';
  }

  /**
   * The referrer's next message after a MASH question is their answer: it goes to the MASH through the
   * outbox (exactly once, like a referral). Undefined when no question is waiting in this conversation.
   */
  async function answerQuestion(conversationId: string, text: string): Promise<OutgoingMessage | undefined> {
    const waiting = await registry.takeQuestion(conversationId);
    if (!waiting) return undefined;
    const key = `${waiting.clientReference}.a.${createHash('sha256').update(waiting.eventId).digest('hex').slice(0, 12)}`;
    await outbox.enqueue(messageOutboxEntry(key, waiting.referralId, { text: text.slice(0, 5000), inReplyTo: waiting.eventId }));
    return { text: fillPackText(pack, 'mash-answer-sent', { reference: waiting.reference }, now()) };
  }

  return { enqueue, onDelivered, onParked, onMashEvent, answerQuestion, listFor: (channelId: string, userId: string) => registry.listForOwner(ownerKeyOf(channelId, userId)),
    listForAad: (aadObjectId: string) => registry.listForOwner(aadOwnerKeyOf(aadObjectId)) };
}

export type ReferralService = ReturnType<typeof createReferralService>;
