import { exchangeSpeaker, type ServiceWords } from '../../flows';
import type { Handoff } from '../../integrations';
import { adaptiveCard, escapeMarkdown, factSet, heading, plainText, type AdaptiveCard, type CardElement, type HandoffAction, type TextBlock } from './cardElements';

export type ShownHandoff = Handoff & { overdue: boolean };

/** Why a handoff exists and where it stands, in the pack's words (one key per kind and status: a new one will not compile without its words). */
const handoffKindKey = (kind: Handoff['kind']) => `handoff-kind-${kind}` as const;
const statusKey = (status: Handoff['status']) => `handoff-status-${status}` as const;

const line = (text: string, extra: Partial<TextBlock> = {}): TextBlock => ({ type: 'TextBlock', text, wrap: true, ...extra });
const action = (title: string, verb: HandoffAction['verb'], handoffId: string, extra: Partial<HandoffAction> = {}): HandoffAction => ({
  type: 'Action.Execute',
  title,
  verb,
  data: { handoffId },
  ...extra,
});

/** London time, formatted here because Teams does not support the card DATE()/TIME() functions. */
function londonTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The exchange so far: questions asked and the referrer's answers, oldest first, as typed (never Markdown). */
function exchange(handoff: Handoff, say: ServiceWords): CardElement[] {
  return handoff.messages.map((m) => plainText(say('handoff-exchange-line', { who: exchangeSpeaker(say, m), at: londonTime(m.at), text: m.text }), { spacing: 'Small' }));
}

/** Claim, ask and close as the status allows; a closed handoff has no live buttons. */
function actionsFor(handoff: Handoff, say: ServiceWords): { body: CardElement[]; actions: HandoffAction[] } {
  if (handoff.status === 'closed') return { body: [], actions: [] };
  const ask: CardElement = {
    type: 'Input.Text',
    id: 'answer',
    label: say('handoff-question-label'),
    isRequired: true,
    errorMessage: say('handoff-question-missing'),
    maxLength: 1000,
    isMultiline: true,
  };
  const actions = [
    ...(handoff.status === 'open' ? [action(say('handoff-claim'), 'handoff.claim', handoff.handoffId, { style: 'positive', associatedInputs: 'none' })] : []),
    action(say('handoff-ask'), 'handoff.ask', handoff.handoffId),
    action(say('handoff-close'), 'handoff.close', handoff.handoffId, { associatedInputs: 'none' }),
  ];
  return { body: [ask], actions };
}

/**
 * The card coordinators see in their Teams channel (and the same facts as the board): triage facts first,
 * an overdue flag in red, the summary (references and the screening result, no child details), the
 * exchange with the referrer, and the actions. Posted once, then updated in place for everyone.
 */
export function handoffCard(handoff: ShownHandoff, say: ServiceWords): AdaptiveCard {
  const { body, actions } = actionsFor(handoff, say);
  const status = say(statusKey(handoff.status));
  return adaptiveCard(
    [
      heading(say('handoff-heading', { handoffId: handoff.handoffId })),
      ...(handoff.overdue ? [line(say(handoff.urgency === 'immediate' ? 'handoff-overdue-immediate' : 'handoff-overdue-same-day'), { color: 'Attention', weight: 'Bolder' })] : []),
      factSet([
        { title: say('handoff-label-status'), value: `${status}${handoff.claimedBy && handoff.status !== 'open' ? ` (${escapeMarkdown(handoff.claimedBy)})` : ''}` },
        { title: say('handoff-label-urgency'), value: handoff.urgency },
        { title: say('handoff-label-category'), value: handoff.category === undefined ? undefined : String(handoff.category) },
        { title: say('handoff-label-why'), value: say(handoffKindKey(handoff.kind)) },
        { title: say('handoff-label-opened'), value: londonTime(handoff.createdAt) },
        { title: say('handoff-label-referrer'), value: escapeMarkdown([handoff.referrer.name, handoff.referrer.organisation].filter(Boolean).join(', ')) || undefined },
      ]),
      // The summary carries the professional's own note: shown as typed, never as Markdown (pen test L3).
      ...handoff.summary.split('\n').map((text) => plainText(text)),
      ...exchange(handoff, say),
      ...body,
    ],
    { actions, fallbackText: say('handoff-card-fallback', { handoffId: handoff.handoffId, urgency: handoff.urgency, status }) },
  );
}
