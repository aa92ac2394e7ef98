import { serviceWordsOf, type ContentPack, type ServiceWords } from '../../flows';

/** A number input's hint in the pack's words, naming whichever limits the question has. */
export function numberHint(say: ServiceWords, min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return say('card-number-between', { min, max });
  if (min !== undefined) return say('card-number-at-least', { min });
  return max !== undefined ? say('card-number-up-to', { max }) : say('card-number');
}

/** A pack question's limits, shown as input validation hints (the runtime still checks every answer). */
export interface InputLimits {
  min?: number;
  max?: number;
  maxLength?: number;
}

/** What the cards read from the content pack: their own words, labels the result values name only by code, and limits. */
export interface CardContext {
  locale: string;
  /** The card's own words (controls, labels, titles): the pack's, by key. */
  say: ServiceWords;
  limitsOf(questionId: string): InputLimits;
  /** A pack message's words by key, when the pack has it. */
  words(key: string): string | undefined;
  /** The title of a pack question's choice, when the pack has it. */
  choiceTitle(questionId: string, value: string): string | undefined;
}

export function cardContextOf(pack: ContentPack): CardContext {
  return {
    locale: pack.locale,
    say: serviceWordsOf(pack),
    limitsOf(questionId) {
      const question = pack.questions[questionId];
      if (!question) return {};
      const { min, max, maxLength } = question;
      return Object.fromEntries(Object.entries({ min, max, maxLength }).filter(([, v]) => v !== undefined));
    },
    words: (key) => pack.messages[key]?.text,
    choiceTitle: (questionId, value) => pack.questions[questionId]?.choices?.find((c) => c.value === value)?.title,
  };
}

/** "share-without-consent" → "Share without consent": for a code the pack has no label for. */
export function humanise(code: string): string {
  const words = code.replace(/[-_.]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : code;
}
