import { detectIntents } from './commands';
import type { PackFaq } from './content/guidanceSchema';
import type { ContentPack } from './content/packSchema';
import type { OutgoingMessage } from './protocol';

/**
 * The pack's short answer for a common question found in free text ("can I tell the police?"), if any.
 * Phrases match as whole words, like intents; the first FAQ in pack order wins.
 */
export function findFaq(pack: ContentPack, text: string): PackFaq | undefined {
  const [id] = detectIntents(text, pack.faqs);
  return pack.faqs.find((faq) => faq.id === id);
}

/** The answer with its source named, so a professional can quote it and their lead can check it. */
export function faqMessage(pack: ContentPack, faq: PackFaq): OutgoingMessage {
  const source = pack.sources[faq.source];
  const cited = source ? `${source.title} (${source.publisher}, ${source.date.slice(0, 4)})` : faq.source;
  return { text: `${faq.question}\n${faq.text}\n(Source: ${cited})` };
}
