import { DomainError } from './errors';
import { publicChoices } from './answers';
import type { ContentPack, PackContact } from './content/packSchema';
import type { OutgoingMessage, QuestionValue } from './protocol';

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

/** One question is one message: text, a button per choice, and the machine-readable value. */
export function questionMessage(pack: ContentPack, questionId: string, turnId: number): OutgoingMessage {
  const question = packQuestion(pack, questionId);
  const choices = publicChoices(question);
  const value: QuestionValue = { type: 'safeguarding.question', id: questionId, expects: question.expects, turnId };
  if (choices) value.choices = choices;
  const numbered = choices && choices.length > 2 ? `\n\n${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}` : '';
  return { text: `${question.text}${numbered}`, suggestedActions: choices, value: { ...value } };
}

function contactLine(contact: PackContact): string {
  return `- ${contact.name}: ${contact.number} (${contact.hours}). ${contact.for}.`;
}

function serviceSummary(contact: PackContact) {
  return { id: contact.id, name: contact.name, number: contact.number, hours: contact.hours };
}

/** Immediate danger interrupts any flow; the message leads with 999 and lists who to tell after. */
export function emergencyMessage(pack: ContentPack): OutgoingMessage {
  const services = pack.contacts.filter((c) => c.emergency);
  return {
    text: `${packText(pack, 'emergency')}\n\n${services.map(contactLine).join('\n')}`,
    value: { type: 'safeguarding.handoff', kind: 'emergency', services: services.map(serviceSummary) },
  };
}

/** The full contact list from the pack, with hours as words (opening-hours logic is issue 8's). */
export function adviceLinesMessage(pack: ContentPack): OutgoingMessage {
  return { text: `${packText(pack, 'advice-lines')}\n\n${pack.contacts.map(contactLine).join('\n')}` };
}

/** Named views the machines can `show`; flows add theirs here as they land. */
export const views: Record<string, (pack: ContentPack, data?: Record<string, unknown>) => OutgoingMessage[]> = {
  'advice-lines': (pack) => [adviceLinesMessage(pack)],
};
