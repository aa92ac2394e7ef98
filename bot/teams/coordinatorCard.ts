import type { Handoff } from '../../integrations';
import { adaptiveCard, escapeMarkdown, factSet, heading, plainText, type AdaptiveCard, type CardElement, type HandoffAction, type TextBlock } from './cardElements';

export type ShownHandoff = Handoff & { overdue: boolean };

const kindWords: Record<Handoff['kind'], string> = {
  'talk-to-coordinator': 'Professional asked to talk',
  'parked-referral': 'Referral not delivered to the MASH',
  'unacknowledged-referral': 'Referral not acknowledged by the MASH in time',
  'store-reset': 'Service alert: stored data was lost',
  'mash-credentials': 'Service alert: the MASH refuses our credentials',
};
const statusWords: Record<Handoff['status'], string> = { open: 'Open: waiting for a coordinator', claimed: 'Claimed', closed: 'Closed' };

const line = (text: string, extra: Partial<TextBlock> = {}): TextBlock => ({ type: 'TextBlock', text, wrap: true, ...extra });
const action = (title: string, verb: HandoffAction['verb'], handoffId: string, extra: Partial<HandoffAction> = {}): HandoffAction => ({ type: 'Action.Execute', title, verb, data: { handoffId }, ...extra });

/** London time, formatted here because Teams does not support the card DATE()/TIME() functions. */
function londonTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The exchange so far: questions asked and the referrer's answers, oldest first, as typed (never Markdown). */
function exchange(handoff: Handoff): CardElement[] {
  return handoff.messages.map((m) => plainText(`${m.from === 'coordinator' ? `Coordinator${m.by ? ` (${m.by})` : ''} asked` : 'Referrer answered'} at ${londonTime(m.at)}: ${m.text}`, { spacing: 'Small' }));
}

/** Claim, ask and close as the status allows; a closed handoff has no live buttons. */
function actionsFor(handoff: Handoff): { body: CardElement[]; actions: HandoffAction[] } {
  if (handoff.status === 'closed') return { body: [], actions: [] };
  const ask: CardElement = { type: 'Input.Text', id: 'answer', label: 'Question for the referrer', isRequired: true, errorMessage: 'Type the question to send', maxLength: 1000, isMultiline: true };
  const actions = [
    ...(handoff.status === 'open' ? [action('Claim', 'handoff.claim', handoff.handoffId, { style: 'positive', associatedInputs: 'none' })] : []),
    action('Ask the referrer', 'handoff.ask', handoff.handoffId),
    action('Close', 'handoff.close', handoff.handoffId, { associatedInputs: 'none' }),
  ];
  return { body: [ask], actions };
}

/**
 * The card coordinators see in their Teams channel (and the same facts as the board): triage facts first,
 * an overdue flag in red, the summary (references and the screening result, no child details), the
 * exchange with the referrer, and the actions. Posted once, then updated in place for everyone.
 */
export function handoffCard(handoff: ShownHandoff): AdaptiveCard {
  const { body, actions } = actionsFor(handoff);
  return adaptiveCard(
    [
      heading(`Handoff ${handoff.handoffId}`),
      ...(handoff.overdue ? [line(handoff.urgency === 'immediate' ? 'OVERDUE: immediate and unclaimed for over 15 minutes' : 'OVERDUE: same-day and unclaimed for over 2 hours', { color: 'Attention', weight: 'Bolder' })] : []),
      factSet([
        { title: 'Status', value: `${statusWords[handoff.status]}${handoff.claimedBy && handoff.status !== 'open' ? ` (${escapeMarkdown(handoff.claimedBy)})` : ''}` },
        { title: 'Urgency', value: handoff.urgency },
        { title: 'Category', value: handoff.category === undefined ? undefined : String(handoff.category) },
        { title: 'Why', value: kindWords[handoff.kind] },
        { title: 'Opened', value: londonTime(handoff.createdAt) },
        { title: 'Referrer', value: escapeMarkdown([handoff.referrer.name, handoff.referrer.organisation].filter(Boolean).join(', ')) || undefined },
      ]),
      // The summary carries the professional's own note: shown as typed, never as Markdown (pen test L3).
      ...handoff.summary.split('\n').map((text) => plainText(text)),
      ...exchange(handoff),
      ...body,
    ],
    { actions, fallbackText: `Handoff ${handoff.handoffId}: ${handoff.urgency}, ${statusWords[handoff.status]}` },
  );
}
