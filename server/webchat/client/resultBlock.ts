import { createElement as h, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { referralOutcome, type ServiceWords } from '../../../flows/content/serviceWords';
import type { ChatWords } from './chatWords';
import { downloadRecord, printRecord, recordText, type ShownRecord } from './recordFile';

/** What a bot activity carries in `value` when it is a result; only the fields shown are read. */
type ResultValue = Record<string, unknown> & { type?: unknown };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** The screening's next steps and urgencies: the same pack words the Teams card shows (bot/teams/resultCard.ts). */
const pathways = ['universal', 'early-help', 'mash-referral', 'emergency', 'adult-safeguarding', 'lado'] as const;
const urgencies = ['routine', 'same-day', 'immediate'] as const;
const known = <T extends string>(list: readonly T[], value: unknown): T | undefined => list.find((v) => v === value);

/**
 * UK phone numbers in the service's words: 999, 101, 111, 116 123 and area-code numbers ("01452 614194",
 * "0808 800 5000"). The numbers are the ones the service filled in when it sent the message (the line
 * open then, with its alternative: flows/advice `{{call-now}}`).
 */
const phone = /\b(0\d{2,4}[ \u00a0]?\d{3,4}[ \u00a0]?\d{3,4}|116[ \u00a0]?\d{3}|999|101|111)\b/g;

/** A paragraph with every phone number as a `tel:` link, so a phone calls it with one tap. */
function withPhoneLinks(paragraph: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of paragraph.matchAll(phone)) {
    const at = match.index ?? 0;
    parts.push(paragraph.slice(last, at), h('a', { key: at, href: `tel:${match[0].replace(/\D/g, '')}` }, match[0]));
    last = at + match[0].length;
  }
  parts.push(paragraph.slice(last));
  return parts;
}

const paragraph = (p: string, i: number) => h('p', { key: i }, ...withPhoneLinks(p));
const paragraphsOf = (value: unknown): string[] =>
  (text(value) ?? '')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);

/** Copy, download and print: the record of this result as shown, made in the browser (no route of the service holds it). */
function RecordControls({ record, say, card }: { record: ShownRecord; say: ChatWords; card: { current: HTMLElement | null } }): ReactElement {
  const [status, setStatus] = useState('');
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return setStatus(say('chat-record-copy-failed'));
    clipboard.writeText(recordText(record, say)).then(
      () => setStatus(say('chat-record-copied')),
      () => setStatus(say('chat-record-copy-failed')),
    );
  };
  return h(
    'div',
    { className: 'sg-record' },
    h('button', { type: 'button', onClick: copy }, say('chat-record-copy')),
    h('button', { type: 'button', onClick: () => downloadRecord(record, say) }, say('chat-record-download')),
    h('button', { type: 'button', onClick: () => card.current && printRecord(card.current) }, say('chat-record-print')),
    h('p', { role: 'status', className: 'sg-record__status' }, status),
  );
}

/**
 * A result as a card: the outcome in one line, what to do now (phone numbers as `tel:` links), "why" and
 * the sources behind a disclosure, and the record controls. The whole message text is on the card, in
 * the service's words, split where its own structure splits it; nothing of it is dropped.
 */
function ResultCard({ label, record, why, say }: { label: string; record: ShownRecord; why: ReactNode[]; say: ChatWords }): ReactElement {
  const whyHeading = record.sections[1]?.heading ?? say('chat-result-why');
  const card = useRef<HTMLElement>(null);
  const [doNow] = record.sections;
  // The pack's own first paragraph may already open with these words ("What to do now: …"): no heading twice.
  const headed = doNow && doNow.paragraphs.length > 0 && !doNow.paragraphs[0].toLowerCase().startsWith(doNow.heading.toLowerCase());
  return h(
    'section',
    { className: 'sg-result', 'aria-label': label, ref: card },
    h('h3', { className: 'sg-result__outcome' }, record.outcome),
    headed ? h('h4', null, doNow.heading) : null,
    ...(doNow?.paragraphs.map(paragraph) ?? []),
    h('details', { className: 'sg-result__why' }, h('summary', null, whyHeading), ...why),
    h(RecordControls, { record, say, card }),
  );
}

function screeningCard(value: ResultValue, messageText: unknown, say: ChatWords): ReactElement {
  const rationale = text(value.rationale);
  const doNow = paragraphsOf(messageText).filter((p) => p !== rationale);
  const pathway = known(pathways, value.pathway);
  const urgency = known(urgencies, value.urgency);
  const category = say('result-screening-title', { category: typeof value.category === 'number' ? String(value.category) : '', label: text(value.label) ?? '' });
  const outcome = say('chat-result-outcome', { category, nextStep: pathway ? say(`result-pathway-${pathway}`) : '', urgency: urgency ? say(`result-urgency-${urgency}`) : '' });
  const signs = [...labelsOf(value.indicators), ...labelsOf(value.vulnerabilities)];
  const raised = value.raised as { from?: unknown; reason?: unknown } | undefined;
  const raisedLine =
    raised && text(raised.reason) ? say('result-raised', { from: typeof raised.from === 'number' ? String(raised.from) : '', reason: String(raised.reason) }) : undefined;
  const whyParagraphs = [
    ...(rationale ? [rationale] : []),
    `${say('result-label-indicators')}: ${signs.join('; ') || say('result-indicators-none')}`,
    ...(raisedLine ? [`${say('result-label-raised')}: ${raisedLine}`] : []),
    ...(text(value.screeningId) ? [`${say('result-label-reference')}: ${String(value.screeningId)}`] : []),
  ];
  const record: ShownRecord = {
    outcome,
    sections: [
      { heading: say('chat-result-do-now'), paragraphs: doNow },
      { heading: say('chat-result-why'), paragraphs: whyParagraphs },
    ],
  };
  return h(ResultCard, { label: say('chat-screening-result'), record, why: whyParagraphs.map(paragraph), say });
}

/**
 * A sharing decision's message is, in order (flows/machines/sharing/sharingText.ts `resultMessage`): the
 * decision, why, what to share / how / telling the family, the lawful-basis paragraphs, the golden rules,
 * the reminder to record it, and the sources. The decision is the outcome line; why, the basis, the rules
 * and the sources go behind the disclosure; the rest is what to do now.
 */
function sharingCard(value: ResultValue, messageText: unknown, say: ChatWords): ReactElement {
  const parts = paragraphsOf(messageText);
  const basis = text(value.lawfulBasis);
  const found = basis ? parts.findIndex((p, i) => i > 1 && p.includes(basis)) : -1;
  const basisStart = found > 1 ? found : Math.max(2, parts.length - 3);
  const reminder = parts.length - 2;
  const doNow = [...parts.slice(2, basisStart), ...(reminder >= basisStart ? [parts[reminder]] : [])];
  const why = [...parts.slice(1, 2), ...parts.slice(basisStart, Math.max(basisStart, reminder)), ...(parts.length > 2 ? parts.slice(-1) : [])];
  const reference = text(value.decisionId) ? [`${say('result-label-reference')}: ${String(value.decisionId)}`] : [];
  const whyParagraphs = [...why, ...reference];
  const record: ShownRecord = {
    outcome: parts[0] ?? '',
    sections: [
      { heading: say('chat-result-do-now'), paragraphs: doNow },
      { heading: say('chat-result-why'), paragraphs: whyParagraphs },
    ],
  };
  return h(ResultCard, { label: say('chat-sharing-decision'), record, why: whyParagraphs.map(paragraph), say });
}

/**
 * "Referral filed" and each MASH update (issue 20 item 5): the outcome in one line in plain words, the
 * message (what to do now, with the line open now as a `tel:` link) and the references behind the disclosure.
 */
function referralCard(value: ResultValue, messageText: unknown, say: ChatWords): ReactElement {
  // The page carries every word `referralOutcome` can ask for (server/clientWords.ts).
  const outcome = referralOutcome(say as ServiceWords, value) ?? say('referral-outcome-update');
  const references = [
    ...(text(value.clientReference) ? [`${say('result-label-our-reference')}: ${String(value.clientReference)}`] : []),
    ...(text(value.reference) ? [`${say('result-label-mash-reference')}: ${String(value.reference)}`] : []),
  ];
  const record: ShownRecord = {
    outcome,
    sections: [
      { heading: say('chat-result-do-now'), paragraphs: paragraphsOf(messageText) },
      { heading: say('chat-referral-details'), paragraphs: references },
    ],
  };
  return h(ResultCard, { label: say('chat-referral-card'), record, why: references.map(paragraph), say });
}

/** "family-breakdown" → "Family breakdown": vulnerabilities travel as ids without labels (the Teams card's `humanise`). */
const humanise = (id: string) =>
  id
    .replace(/[-_.]+/g, ' ')
    .trim()
    .replace(/^./, (c) => c.toUpperCase());

function labelsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => (typeof item === 'string' ? [humanise(item)] : (text((item as { label?: unknown } | null)?.label) ?? [])));
}

/**
 * The card for a result activity (its `value` and `text`), or undefined for anything else: it replaces
 * the message bubble. React escapes every string, so nothing in a message can become markup.
 */
export function resultBlock(value: unknown, messageText: unknown, say: ChatWords): ReactElement | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as ResultValue;
  if (v.type === 'safeguarding.screeningResult') return screeningCard(v, messageText, say);
  if (v.type === 'safeguarding.sharingDecision') return sharingCard(v, messageText, say);
  if (v.type === 'safeguarding.referralFiled' || v.type === 'safeguarding.referralUpdate') return referralCard(v, messageText, say);
  return undefined;
}
