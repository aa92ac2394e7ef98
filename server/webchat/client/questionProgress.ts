// "Question 5 of about 12" as the protocol carries it (flows/protocol.ts `QuestionValue.progress`): plain
// code, no React, so it reads an activity's value the way the page's other readers do.

export interface ShownProgress {
  current: number;
  about: number;
}

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/** The progress of a bot activity's question, or undefined when it has none (the menu, a result). */
export function progressOf(value: unknown): ShownProgress | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { type?: unknown; progress?: unknown };
  if (v.type !== 'safeguarding.question' || !v.progress || typeof v.progress !== 'object') return undefined;
  const { current, about } = v.progress as { current?: unknown; about?: unknown };
  return positive(current) && positive(about) ? { current, about } : undefined;
}
