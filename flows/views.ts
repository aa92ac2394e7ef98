import { adviceNowMessage } from './advice/adviceMessage';
import { hasAdviceLines } from './advice/adviceLines';
import { DomainError } from './errors';
import { publicChoices, withChoices } from './answers';
import type { ContentPack, PackContact } from './content/packSchema';
import { questionFormOf } from './machines/referral/questionForm';
import type { Choice, OutgoingMessage, QuestionValue } from './protocol';

export function packQuestion(pack: ContentPack, questionId: string) {
  const question = pack.questions[questionId];
  if (!question) throw new DomainError('SG-CONTENT-INVALID', `question "${questionId}" is not in pack ${pack.id}`);
  return question;
}

export function packText(pack: ContentPack, key: string): string {
  const message = pack.messages[key];
  if (!message) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is not in pack ${pack.id}`);
  return message.text;
}

export function sayMessage(pack: ContentPack, key: string): OutgoingMessage {
  return { text: packText(pack, key) };
}

/**
 * One question is one message: text, a button per choice, and the machine-readable value. `dynamicChoices`
 * are the flow's choices for a question whose options depend on earlier answers; `flowText` is what only
 * the flow knows (a summary to check), shown after the pack's words and before the numbered choices.
 */
export function questionMessage(
  pack: ContentPack,
  questionId: string,
  turnId: number,
  dynamicChoices?: Choice[],
  flowText?: string,
  progress?: QuestionValue['progress'],
): OutgoingMessage {
  const question = withChoices(packQuestion(pack, questionId), dynamicChoices);
  if (question.dynamicChoices && !dynamicChoices) {
    throw new DomainError('SG-INTERNAL', `question "${questionId}" takes its choices from the flow, which gave none`);
  }
  const choices = publicChoices(question);
  const value: QuestionValue = { type: 'safeguarding.question', id: questionId, expects: question.expects, turnId };
  if (choices) value.choices = choices;
  if (progress) value.progress = progress;
  // A referral section, or the child and the concern, can be answered as one form where the channel shows inputs (issue 21 items 2, 7).
  const form = questionFormOf(pack, questionId);
  if (form) value.form = form;
  const numbered = choices && choices.length > 2 ? `\n\n${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}` : '';
  const text = flowText ? `${question.text}\n\n${flowText}` : question.text;
  return { text: `${text}${numbered}`, suggestedActions: choices, value: { ...value } };
}

function contactLine(contact: PackContact): string {
  return `- ${contact.name}: ${contact.number ?? contact.url} (${contact.hours}). ${contact.for}.`;
}

function serviceSummary(contact: PackContact) {
  return { id: contact.id, name: contact.name, number: contact.number ?? contact.url ?? '', hours: contact.hours };
}

/** The emergency contacts, less any already named as the alternative of one listed before it. */
function emergencyContacts(pack: ContentPack): PackContact[] {
  const listed: PackContact[] = [];
  for (const contact of pack.contacts.filter((c) => c.emergency)) {
    if (!listed.some((c) => c.alternative === contact.id)) listed.push(contact);
  }
  return listed;
}

/**
 * Immediate danger interrupts any flow; the message leads with 999 and lists who to tell after. Each
 * line is a `{{call:ID}}` token, filled by the runtime at the moment it is sent, so the line open now
 * comes first with its alternative (a closed help desk is never listed alone).
 */
export function emergencyMessage(pack: ContentPack): OutgoingMessage {
  const services = pack.contacts.filter((c) => c.emergency);
  const lines = emergencyContacts(pack).map((c) => `- ${c.for}: {{call:${c.id}}}.`);
  return {
    text: `${packText(pack, 'emergency')}\n\n${lines.join('\n')}`,
    value: { type: 'safeguarding.handoff', kind: 'emergency', services: services.map(serviceSummary) },
  };
}

/**
 * "Who can I call?" at `now`: who to call now and when closed lines open, with the advice-line handoff
 * value. A pack without structured advice lines keeps the plain contact list with hours as words.
 */
export function adviceLinesMessage(pack: ContentPack, now: Date): OutgoingMessage {
  if (hasAdviceLines(pack)) return adviceNowMessage(pack, now);
  return { text: `${packText(pack, 'advice-lines')}\n\n${pack.contacts.map(contactLine).join('\n')}` };
}

/** What a view knows of the turn besides the pack: the injected clock (`TurnMeta.now`), never the system's. */
export interface ViewContext {
  now: Date;
}

/** Named views the machines can `show`; flows add theirs here as they land. */
export const views: Record<string, (pack: ContentPack, data: Record<string, unknown> | undefined, context: ViewContext) => OutgoingMessage[]> = {
  'advice-lines': (pack, _data, { now }) => [adviceLinesMessage(pack, now)],
};
