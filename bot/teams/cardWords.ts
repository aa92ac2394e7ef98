import type { ContentPack } from '../../flows';

/**
 * The few words the Teams cards add around the pack's: button and field labels, and what a card says
 * when it stops being live. Safeguarding guidance stays in the content pack; these are the controls.
 */
export const cardWords = {
  send: 'Send',
  noneOfThese: 'None of these',
  yourAnswer: 'Your answer',
  movedOn: 'This question has moved on, so I have not used this answer. Please answer the latest question in the chat.',
  unusable: 'I could not use that answer, so I have asked the question again below.',
  pickSome: 'Pick at least one, or press "None of these".',
  pickDate: 'Please pick a date.',
  typeText: (maxLength: number) => `Please type your answer (up to ${maxLength} characters).`,
  typeNumber: (min?: number, max?: number) => {
    if (min !== undefined && max !== undefined) return `Please enter a number from ${min} to ${max}.`;
    if (min !== undefined) return `Please enter a number of at least ${min}.`;
    return max !== undefined ? `Please enter a number up to ${max}.` : 'Please enter a number.';
  },
} as const;

/** A pack question's limits, shown as input validation hints (the runtime still checks every answer). */
export interface InputLimits {
  min?: number;
  max?: number;
  maxLength?: number;
}

/** What the cards read from the content pack: labels the result values name only by code, and limits. */
export interface CardContext {
  locale: string;
  limitsOf(questionId: string): InputLimits;
  /** A pack message's words by key, when the pack has it. */
  words(key: string): string | undefined;
  /** The title of a pack question's choice, when the pack has it. */
  choiceTitle(questionId: string, value: string): string | undefined;
}

export function cardContextOf(pack: ContentPack): CardContext {
  return {
    locale: pack.locale,
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
