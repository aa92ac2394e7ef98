import { createElement as h, type ReactElement } from 'react';
import type { WordValues } from '../../../flows/content/serviceWords';
import type { chatClientWords } from '../../clientWords';

/** The pack's words the page carries for the chat (server/webchat/pages.ts `chatClientWords`). */
export type ChatWords = (key: (typeof chatClientWords)[number], values?: WordValues) => string;

/** What a bot activity carries in `value` when it is a result; only the fields shown are read. */
type ResultValue = Record<string, unknown> & { type?: unknown };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
const words = (id: string): string => id.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * Lawful bases travel as codes (`uk-gdpr-art-6-1-e+dpa-2018-sch-1-pt-2-para-18`) so records stay
 * machine-readable; a professional needs the citation in words.
 */
export function lawfulBasisWords(code: string, say: ChatWords): string {
  return code
    .split('+')
    .map((part) => {
      const gdpr = /^uk-gdpr-art-(\d+)-(\d+)-([a-z])$/.exec(part);
      if (gdpr) return say('chat-basis-uk-gdpr', { article: gdpr[1], paragraph: gdpr[2], point: gdpr[3] });
      const dpa = /^dpa-(\d{4})-sch-(\d+)-pt-(\d+)-para-(\d+)$/.exec(part);
      if (dpa) return say('chat-basis-dpa', { year: dpa[1], schedule: dpa[2], part: dpa[3], paragraph: dpa[4] });
      return part;
    })
    .join('; ');
}

function facts(rows: Array<[label: string, value: string | undefined]>): ReactElement {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  return h('dl', { className: 'sg-result__facts' }, ...shown.flatMap(([label, value]) => [h('dt', { key: `${label}-t` }, label), h('dd', { key: `${label}-d` }, value)]));
}

function labelsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => (typeof item === 'string' ? [item] : text((item as { label?: unknown })?.label) ?? []));
}

/** A screening result: its category and the reasons (indicators and the rule's own rationale). */
function screening(value: ResultValue, say: ChatWords): ReactElement {
  const reasons = [...labelsOf(value.indicators), ...labelsOf(value.vulnerabilities)];
  return h(
    'section',
    { className: 'sg-result', 'aria-label': say('chat-screening-result') },
    h('h3', null, say('chat-screening-category', { label: text(value.label) ?? (typeof value.category === 'string' ? value.category : '') })),
    facts([
      [say('chat-label-pathway'), text(value.pathway) && words(value.pathway as string)],
      [say('result-label-urgency'), text(value.urgency) && words(value.urgency as string)],
      [say('result-label-why'), text(value.rationale)],
    ]),
    reasons.length ? h('ul', { className: 'sg-result__reasons', 'aria-label': say('chat-reasons') }, ...reasons.map((r, i) => h('li', { key: i }, r))) : null,
  );
}

/** A sharing decision: the outcome, why, the lawful basis when sharing without consent, and its record id. */
function sharing(value: ResultValue, say: ChatWords): ReactElement {
  return h(
    'section',
    { className: 'sg-result', 'aria-label': say('chat-sharing-decision') },
    h('h3', null, say('chat-sharing-outcome', { outcome: text(value.outcome) ? words(value.outcome as string) : say('chat-sharing-recorded') })),
    facts([
      [say('result-label-reason'), text(value.reason) && words(value.reason as string)],
      [say('result-label-lawful-basis'), text(value.lawfulBasis) && lawfulBasisWords(value.lawfulBasis as string, say)],
      [say('result-label-share-with'), text(value.recipient)],
      [say('chat-label-decision-id'), text(value.decisionId)],
    ]),
  );
}

/**
 * A readable block for a result value, or undefined for anything else. React escapes every string, so
 * nothing in a value can become markup.
 */
export function resultBlock(value: unknown, say: ChatWords): ReactElement | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as ResultValue;
  if (v.type === 'safeguarding.screeningResult') return screening(v, say);
  if (v.type === 'safeguarding.sharingDecision') return sharing(v, say);
  return undefined;
}
