import type { StoredConversationReference } from '../../bot';
import type { Logger } from 'pino';
import type { ContentPack, OutgoingMessage, PendingEffect } from '../../flows';
import { isClaimer, isOverdue, type AuditLog, type ClaimResult, type Handoff, type HandoffQueue } from '../../integrations';
import { fillPackText, type Notify } from './referralNotices';

/** A coordinator acting on a handoff: from the board session or a Teams card click. */
export interface Coordinator {
  id: string;
  name?: string;
  /** A partnership lead may close a handoff another coordinator claimed (someone left, or is away). */
  lead?: boolean;
}

/** Where the coordinators' Teams card lives: posted once, then updated in place for everyone. */
export interface CoordinatorChannel {
  show(handoff: Handoff & { overdue: boolean }): Promise<Handoff['card'] | undefined>;
}

export interface CoordinatorTriagePorts {
  handoffs: HandoffQueue;
  audit: AuditLog;
  notify: Notify;
  pack: ContentPack;
  logger: Logger;
  channel?: CoordinatorChannel;
  now?: () => Date;
}

export type ActionResult = { ok: true; handoff: Handoff } | { ok: false; reason: 'not-found' | 'closed' } | { ok: false; reason: 'taken' | 'not-yours'; claimedBy: string };

const coordinatorName = (c: Coordinator) => c.name ?? 'a coordinator';
const referenceOf = (handoff: Handoff) => handoff.referrer.conversation as StoredConversationReference;
const conversationIdOf = (handoff: Handoff) => String(referenceOf(handoff).conversation?.id ?? '');

/**
 * The coordinator side of a handoff (issue 8): opening it from the flow's effect, the Teams card, claim,
 * ask the referrer and close, and the referrer's reply. Every step is audited by reference only (who, when,
 * which handoff; never the question or the answer), and every change updates the card for everyone.
 */
export function createCoordinatorTriage({ handoffs, audit, notify, pack, logger, channel, now = () => new Date() }: CoordinatorTriagePorts) {
  async function record(id: string, recordType: string, handoff: Handoff, actor: { channelId: string; userId: string }, extra: Record<string, unknown> = {}): Promise<void> {
    await audit.append({ id, recordType, recordedAt: now().toISOString(), actor, payload: { recordType, handoffId: handoff.handoffId, urgency: handoff.urgency, ...extra } });
  }

  /** Posts or updates the card; a channel that is down must not stop the handoff itself. */
  async function showCard(handoff: Handoff): Promise<void> {
    if (!channel) return;
    try {
      const card = await channel.show({ ...handoff, overdue: isOverdue(handoff, now().getTime()) });
      if (card && !handoff.card) await handoffs.update(handoff.handoffId, (h) => (h.card ? undefined : { ...h, card }));
    } catch (err) {
      logger.warn({ err, handoff: handoff.handoffId }, "coordinators' card not posted or updated");
    }
  }

  async function tellReferrer(handoff: Handoff, key: string, values: Record<string, string>): Promise<void> {
    const told = await notify(referenceOf(handoff), {
      text: fillPackText(pack, key, { handoffId: handoff.handoffId, ...values }, now()),
      value: { type: 'safeguarding.handoff', kind: 'coordinator', handoffId: handoff.handoffId, status: handoff.status },
    });
    if (!told) logger.warn({ handoff: handoff.handoffId }, 'referrer not reachable for a handoff update');
  }

  /** Effect handler for `handoff.open`: idempotent by handoff id (a re-run effect opens nothing new). */
  async function openFromEffect({ effect, actor, reference }: PendingEffect<'handoff.open'>): Promise<void> {
    const p = effect.payload;
    const handoff: Handoff = {
      handoffId: p.handoffId,
      kind: 'talk-to-coordinator',
      referrer: {
        channelId: actor.channelId,
        conversation: reference ?? {},
        ...((p.referrer?.name ?? actor.userName) ? { name: p.referrer?.name ?? actor.userName } : {}),
        ...(p.referrer?.role ? { role: p.referrer.role } : {}),
        ...(p.referrer?.organisation ? { organisation: p.referrer.organisation } : {}),
      },
      summary: p.summary,
      urgency: p.urgency,
      ...(typeof p.category === 'number' ? { category: p.category } : {}),
      createdAt: now().toISOString(),
      status: 'open',
      messages: [],
    };
    const { opened } = await handoffs.open(handoff);
    if (opened) logger.info({ handoff: handoff.handoffId, urgency: handoff.urgency }, 'handoff opened');
    await audit.append({
      id: `${handoff.handoffId}.opened`,
      recordType: 'handoff',
      recordedAt: handoff.createdAt,
      actor,
      payload: {
        recordType: 'handoff',
        handoffId: handoff.handoffId,
        kind: handoff.kind,
        urgency: handoff.urgency,
        ...(handoff.category !== undefined ? { category: handoff.category } : {}),
      },
    });
    const stored = await handoffs.get(handoff.handoffId);
    if (stored && !stored.card) await showCard(stored);
  }

  async function claim(id: string, by: Coordinator): Promise<ClaimResult> {
    const result = await handoffs.claim(id, coordinatorName(by), by.id);
    if (!result.ok || !result.fresh) return result;
    await record(`${id}.claimed`, 'handoff-claimed', result.handoff, { channelId: 'coordinator', userId: by.id });
    await tellReferrer(result.handoff, 'handoff-claimed', {});
    await showCard(result.handoff);
    return result;
  }

  /** Ask the referrer: claims first when nobody has (asking is taking the case), else only the claimer asks. */
  async function ask(id: string, by: Coordinator, question: string): Promise<ActionResult> {
    const claimed = await claim(id, by);
    if (!claimed.ok) return claimed;
    const at = now().toISOString();
    const handoff = await handoffs.update(id, (h) => ({ ...h, messages: [...h.messages, { at, from: 'coordinator', text: question.slice(0, 1000), by: coordinatorName(by) }] }));
    if (!handoff) return { ok: false, reason: 'not-found' };
    await handoffs.awaitReply(conversationIdOf(handoff), id);
    await record(`${id}.asked.${handoff.messages.length}`, 'handoff-question', handoff, { channelId: 'coordinator', userId: by.id });
    await tellReferrer(handoff, 'handoff-question', { question: question.slice(0, 1000) });
    await showCard(handoff);
    return { ok: true, handoff };
  }

  /** Closes an open handoff, or a claimed one for its claimer (by id, never by name) or a partnership lead (pen test L1). */
  async function close(id: string, by: Coordinator): Promise<ActionResult> {
    const closedAt = now().toISOString();
    const mayClose = (h: Handoff) => h.status !== 'claimed' || by.lead === true || isClaimer(h, coordinatorName(by), by.id);
    const handoff = await handoffs.update(id, (h) => (h.status === 'closed' || !mayClose(h) ? undefined : { ...h, status: 'closed', closedAt }));
    if (!handoff) return { ok: false, reason: 'not-found' };
    if (handoff.status === 'claimed') return { ok: false, reason: 'not-yours', claimedBy: handoff.claimedBy ?? 'another coordinator' };
    if (handoff.closedAt !== closedAt) return { ok: false, reason: 'closed' };
    await record(`${id}.closed`, 'handoff-closed', handoff, { channelId: 'coordinator', userId: by.id });
    await tellReferrer(handoff, 'handoff-closed', {});
    await showCard(handoff);
    return { ok: true, handoff };
  }

  /** The referrer's next message after a coordinator's question: attached to the handoff, once. */
  async function replyFromReferrer(conversationId: string, text: string): Promise<OutgoingMessage | undefined> {
    const waiting = await handoffs.takeAwaiting(conversationId);
    return waiting ? replyTo(waiting.handoffId, text) : undefined;
  }

  /**
   * The referrer's answer, attached to the handoff (never sent to the MASH), audited by reference and shown
   * on the card; from the chat (their next message) or the My referrals tab (issue 20 item 3).
   */
  async function replyTo(handoffId: string, text: string): Promise<OutgoingMessage | undefined> {
    const at = now().toISOString();
    const handoff = await handoffs.update(handoffId, (h) => ({ ...h, messages: [...h.messages, { at, from: 'referrer', text: text.slice(0, 4000) }] }));
    if (!handoff) return undefined;
    await record(`${handoff.handoffId}.replied.${handoff.messages.length}`, 'handoff-reply', handoff, { channelId: handoff.referrer.channelId, userId: 'referrer' });
    await showCard(handoff);
    return { text: fillPackText(pack, 'handoff-reply-sent', { handoffId: handoff.handoffId }, now()) };
  }

  /** Answered from the tab: the chat no longer waits for it (its next message is an ordinary message again). */
  async function replyFromTab(handoffId: string, conversationId: string | undefined, text: string): Promise<OutgoingMessage | undefined> {
    if (conversationId) await handoffs.forgetAwaitingIf(conversationId, handoffId);
    return replyTo(handoffId, text);
  }

  return {
    openFromEffect,
    claim,
    ask,
    close,
    replyFromReferrer,
    replyFromTab,
    all: () => handoffs.all(),
    triaged: () => handoffs.triaged(),
    get: (id: string) => handoffs.get(id),
  };
}

export type CoordinatorTriage = ReturnType<typeof createCoordinatorTriage>;
