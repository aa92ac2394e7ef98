import { z } from 'zod';
import type { OutgoingMessage } from '../../flows';
import type { Handoff, ReferralRegistry, ReferralTracking } from '../../integrations';
import { answerSent } from './myReferrals';
import { aadOwnerKeyOf, ownerKeyOf } from './referralNotices';

/**
 * A question waiting for (or answered by) the referrer, as "My referrals" shows it: text, who asked, when.
 * Who: the MASH, or "a CSE coordinator" (never the coordinator's name, as in the chat's notices).
 */
export interface ReferrerQuestion {
  /** `mash`: an information request (answered to the MASH); `coordinator`: a CSE coordinator's question (answered to the handoff). */
  kind: 'mash' | 'coordinator';
  /** `<clientReference>.<eventId>` or `<handoffId>.<message index>`: what the answer is posted to. */
  id: string;
  /** The MASH reference, or the handoff id. */
  reference: string;
  question: string;
  askedAt: string;
  answered: boolean;
}

export type AnswerOutcome = { ok: true; message: OutgoingMessage } | { ok: false; reason: 'not-found' | 'answered' | 'not-delivered' };

/** Whose a session is: its own id, and the Entra object id when it came from Teams SSO (`aad-<oid>`). */
export interface Asker {
  id: string;
}

const aadPrefix = 'aad-';
const referenceSchema = z.object({
  user: z.object({ id: z.string().optional(), aadObjectId: z.string().optional() }).optional(),
  conversation: z.object({ id: z.string() }).optional(),
});

export interface ReferrerQuestionsPorts {
  registry: ReferralRegistry;
  /** `myReferrals.sendAnswer`: to the MASH through the outbox, once per question. */
  sendAnswer: (question: { clientReference: string; referralId: string; eventId: string; reference: string }, text: string) => Promise<OutgoingMessage>;
  handoffs: { all(): Promise<Handoff[]>; replyFromTab(handoffId: string, conversationId: string | undefined, text: string): Promise<OutgoingMessage | undefined> };
  /** The web chat's channel id: a session's own referrals are filed under it. */
  webChatChannelId: string;
}

/**
 * Questions reach the referrer wherever they are (issue 20 item 3): the MASH's information requests and
 * coordinators' questions about this professional's referrals and handoffs, listed for "My referrals" and
 * answered from there. An answer to the MASH goes to `POST /referrals/{id}/messages` with `inReplyTo`
 * through the outbox; an answer to a coordinator goes to that handoff, never to the MASH.
 */
export function createReferrerQuestions({ registry, sendAnswer, handoffs, webChatChannelId }: ReferrerQuestionsPorts) {
  async function trackingsOf(asker: Asker): Promise<ReferralTracking[]> {
    const keys = [ownerKeyOf(webChatChannelId, asker.id)];
    if (asker.id.startsWith(aadPrefix)) keys.push(aadOwnerKeyOf(asker.id.slice(aadPrefix.length)));
    const byRef = new Map<string, ReferralTracking>();
    for (const t of (await Promise.all(keys.map((k) => registry.listForOwner(k)))).flat()) byRef.set(t.clientReference, t);
    return [...byRef.values()];
  }

  /** Handoffs this professional raised: their conversation's user is them (web chat id, or Teams Entra object id). */
  async function handoffsOf(asker: Asker): Promise<Array<{ handoff: Handoff; conversationId?: string }>> {
    const aad = asker.id.startsWith(aadPrefix) ? asker.id.slice(aadPrefix.length).toLowerCase() : undefined;
    const mine: Array<{ handoff: Handoff; conversationId?: string }> = [];
    for (const handoff of await handoffs.all()) {
      const reference = referenceSchema.safeParse(handoff.referrer.conversation);
      if (!reference.success) continue;
      const user = reference.data.user;
      if (user?.id === asker.id || (aad !== undefined && user?.aadObjectId?.toLowerCase() === aad)) mine.push({ handoff, conversationId: reference.data.conversation?.id });
    }
    return mine;
  }

  const mashQuestions = (t: ReferralTracking): ReferrerQuestion[] =>
    t.events
      .filter((e) => e.type === 'referral.info-requested' && e.question)
      .map((e) => ({
        kind: 'mash',
        id: `${t.clientReference}.${e.eventId}`,
        reference: t.reference ?? t.clientReference,
        question: e.question ?? '',
        askedAt: e.occurredAt,
        answered: t.events.some((a) => a.type === answerSent && a.inReplyTo === e.eventId),
      }));

  const coordinatorQuestions = (h: Handoff): ReferrerQuestion[] =>
    h.messages.flatMap((m, index) =>
      m.from !== 'coordinator'
        ? []
        : [
            {
              kind: 'coordinator' as const,
              id: `${h.handoffId}.${index}`,
              reference: h.handoffId,
              question: m.text,
              askedAt: m.at,
              answered: h.messages.slice(index + 1).some((later) => later.from === 'referrer'),
            },
          ],
    );

  /** Every question about this professional's referrals and handoffs, newest first. */
  async function listFor(asker: Asker): Promise<ReferrerQuestion[]> {
    const [trackings, raised] = await Promise.all([trackingsOf(asker), handoffsOf(asker)]);
    const all = [...trackings.flatMap(mashQuestions), ...raised.flatMap(({ handoff }) => coordinatorQuestions(handoff))];
    return all.sort((a, b) => b.askedAt.localeCompare(a.askedAt));
  }

  /** Answers one question of theirs; a question not theirs is `not-found`, whatever it names. */
  async function answer(asker: Asker, kind: ReferrerQuestion['kind'], id: string, text: string): Promise<AnswerOutcome> {
    if (kind === 'mash') {
      for (const t of await trackingsOf(asker)) {
        const asked = t.events.find((e) => e.type === 'referral.info-requested' && `${t.clientReference}.${e.eventId}` === id);
        if (!asked) continue;
        if (mashQuestions(t).find((q) => q.id === id)?.answered) return { ok: false, reason: 'answered' };
        if (!t.referralId) return { ok: false, reason: 'not-delivered' };
        const conversationId = referenceSchema.safeParse(t.conversation).data?.conversation?.id;
        // The chat no longer waits for it: their next message there is an ordinary message again.
        if (conversationId) await registry.forgetQuestionIf(conversationId, asked.eventId);
        return {
          ok: true,
          message: await sendAnswer({ clientReference: t.clientReference, referralId: t.referralId, eventId: asked.eventId, reference: t.reference ?? t.clientReference }, text),
        };
      }
      return { ok: false, reason: 'not-found' };
    }
    for (const { handoff, conversationId } of await handoffsOf(asker)) {
      const asked = coordinatorQuestions(handoff).find((q) => q.id === id);
      if (!asked) continue;
      if (asked.answered) return { ok: false, reason: 'answered' };
      const sent = await handoffs.replyFromTab(handoff.handoffId, conversationId, text);
      return sent ? { ok: true, message: sent } : { ok: false, reason: 'not-found' };
    }
    return { ok: false, reason: 'not-found' };
  }

  return { listFor, answer };
}

export type ReferrerQuestions = ReturnType<typeof createReferrerQuestions>;
