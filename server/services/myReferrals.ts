import { createHash } from 'node:crypto';
import { marfLines, serviceWordsOf, type ContentPack, type OutgoingMessage, type ServiceWords } from '../../flows';
import { messageOutboxEntry, type Outbox, type ReferralRegistry, type ReferralTracking } from '../../integrations';
import { aadOwnerKeyOf, fillPackText, ownerKeyOf } from './referralNotices';

/** The tracking event that records an answer sent to the MASH (issue 20 item 3). */
export const answerSent = 'referral.answer-sent';

/** Each referral's status in the pack's words: one key per status, so a new status will not compile without its words. */
const statusKey = (status: ReferralTracking['status']) => `my-referrals-status-${status}` as const;

/** The details a version 1 MASH could not take (issue 21), under the referral's line: the referrer's copy to give when asked. */
function keptLines(pack: ContentPack, t: ReferralTracking, words: ServiceWords): string {
  const lines = t.notSent ? marfLines(pack, t.notSent) : [];
  if (lines.length === 0) return '';
  return `\n${words('my-referrals-kept', { clientReference: t.clientReference, details: lines.map((l) => words('my-referrals-kept-line', { line: l })).join('\n') })}`;
}

function line(t: ReferralTracking, words: ServiceWords): string {
  const latest = t.events[t.events.length - 1];
  const decision = [...t.events].reverse().find((e) => e.decision)?.decision;
  // The decision matters most, so it shows even when a later event (a question) came after it. As the
  // MASH's code, as before (test/referral.endToEnd pins it); the pack's `mash-decision-*` words could say it.
  const decided = decision ? words('my-referrals-decision', { decision: decision.outcome }) : '';
  return words('my-referrals-line', {
    clientReference: t.clientReference,
    mashReference: t.reference ? words('my-referrals-mash-reference', { reference: t.reference }) : '',
    filedOn: t.createdAt.slice(0, 10),
    status: words(statusKey(t.status)),
    progress: latest ? words('my-referrals-progress', { decision: decided, event: latest.type.replace('referral.', '') }) : '',
  });
}

/** "My referrals" as one message: status in words, newest first, and the machine-readable list. */
export function myReferralsMessage(pack: ContentPack, referrals: ReferralTracking[]): OutgoingMessage {
  if (referrals.length === 0) return { text: fillPackText(pack, 'my-referrals-none', {}) };
  const words = serviceWordsOf(pack);
  const newest = [...referrals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    text: `${fillPackText(pack, 'my-referrals-header', {})}\n${newest.map((t) => line(t, words) + keptLines(pack, t, words)).join('\n')}`,
    value: {
      type: 'safeguarding.referralUpdate',
      event: 'my-referrals',
      referrals: newest.map((t) => ({
        clientReference: t.clientReference,
        status: t.status,
        reference: t.reference,
        events: t.events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, decision: e.decision })),
        ...(t.notSent ? { notSent: marfLines(pack, t.notSent) } : {}),
      })),
    },
  };
}

export interface MyReferralsPorts {
  registry: ReferralRegistry;
  outbox: Outbox;
  pack: ContentPack;
  now?: () => Date;
}

/**
 * A professional's own referrals: the list ("my referrals" in the chat, the tab), and their answer to a
 * question the MASH asked, which goes back to the MASH through the outbox exactly once, like a referral.
 */
export function createMyReferrals({ registry, outbox, pack, now = () => new Date() }: MyReferralsPorts) {
  const listFor = (channelId: string, userId: string) => registry.listForOwner(ownerKeyOf(channelId, userId));
  const listForAad = (aadObjectId: string) => registry.listForOwner(aadOwnerKeyOf(aadObjectId));

  /**
   * The referrer's next message after a MASH question is their answer. Undefined when no question is
   * waiting in this conversation.
   */
  async function answerQuestion(conversationId: string, text: string): Promise<OutgoingMessage | undefined> {
    const waiting = await registry.takeQuestion(conversationId);
    return waiting ? sendAnswer(waiting, text) : undefined;
  }

  /**
   * One answer per MASH question, wherever it was typed (the chat or the tab): the outbox key comes from the
   * question's event id, so a second answer to the same question is the same entry and is not sent again.
   * The tracking records that it went (`referral.answer-sent`, `inReplyTo`), so the tab shows it as sent.
   */
  async function sendAnswer(question: { clientReference: string; referralId: string; eventId: string; reference: string }, text: string): Promise<OutgoingMessage> {
    const key = `${question.clientReference}.a.${createHash('sha256').update(question.eventId).digest('hex').slice(0, 12)}`;
    await outbox.enqueue(messageOutboxEntry(key, question.referralId, { text: text.slice(0, 5000), inReplyTo: question.eventId }));
    const sentAt = now().toISOString();
    await registry.update(question.clientReference, (t) =>
      t.events.some((e) => e.type === answerSent && e.inReplyTo === question.eventId)
        ? undefined
        : { ...t, events: [...t.events, { eventId: `${key}`, type: answerSent, occurredAt: sentAt, inReplyTo: question.eventId }] },
    );
    return { text: fillPackText(pack, 'mash-answer-sent', { reference: question.reference }, now()) };
  }

  return {
    listFor,
    listForAad,
    /**
     * The referral's copy for the referrer to download (issue 21): its line as "my referrals" shows it and
     * the MARF answers a version 1 MASH could not take. Undefined when nothing was kept back.
     */
    keptCopy: (t: ReferralTracking): string | undefined => {
      const words = serviceWordsOf(pack);
      const kept = keptLines(pack, t, words);
      return kept ? `${line(t, words)}${kept}\n` : undefined;
    },
    answerQuestion,
    sendAnswer,
    /** "My referrals" as the chat shows it. */
    message: async (channelId: string, userId: string) => myReferralsMessage(pack, await listFor(channelId, userId)),
  };
}

export type MyReferrals = ReturnType<typeof createMyReferrals>;
