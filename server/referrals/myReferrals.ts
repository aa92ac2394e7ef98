import type { ContentPack, OutgoingMessage } from '../../flows';
import type { ReferralTracking } from '../../integrations';
import { fillPackText } from './referralService';

const statusWords: Record<ReferralTracking['status'], string> = {
  queued: 'queued for the MASH',
  delivered: 'received by the MASH',
  parked: 'NOT delivered: please phone the Children and Families Help Desk',
  phone: 'to phone through to the MASH (referrals are taken by phone here), quoting this reference',
};

function line(t: ReferralTracking): string {
  const latest = t.events[t.events.length - 1];
  const decision = [...t.events].reverse().find((e) => e.decision)?.decision;
  // The decision matters most, so it shows even when a later event (a question) came after it.
  const decided = decision ? `; MASH decision: ${decision.outcome}` : '';
  const progress = latest ? `${decided}; latest: ${latest.type.replace('referral.', '')}` : '';
  return `- ${t.clientReference}${t.reference ? ` (MASH ${t.reference})` : ''}, filed ${t.createdAt.slice(0, 10)}: ${statusWords[t.status]}${progress}`;
}

/** "My referrals" as one message: status in words, newest first, and the machine-readable list. */
export function myReferralsMessage(pack: ContentPack, referrals: ReferralTracking[]): OutgoingMessage {
  if (referrals.length === 0) return { text: fillPackText(pack, 'my-referrals-none', {}) };
  const newest = [...referrals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    text: `${fillPackText(pack, 'my-referrals-header', {})}\n${newest.map(line).join('\n')}`,
    value: {
      type: 'safeguarding.referralUpdate',
      event: 'my-referrals',
      referrals: newest.map((t) => ({ clientReference: t.clientReference, status: t.status, reference: t.reference, events: t.events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, decision: e.decision })) })),
    },
  };
}
