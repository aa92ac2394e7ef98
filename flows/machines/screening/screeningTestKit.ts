import { loadDefaultPack } from '../../content/loadPack';

/** Test helpers for walking the screening. */
const pack = loadDefaultPack();

/** The pack's indicator questions, in the order the screening asks them. */
export const indicatorQuestionIds: readonly string[] = pack.screening!.indicatorQuestions.map((ask) => ask.id);

/**
 * Typed answers to the indicator questions, in the order asked: `none` to each but those `given`. Tests
 * that walk the screening answer the lists through this, so a question added to the pack needs no edit
 * of theirs, only its own test.
 */
export function indicatorAnswers(given: Record<string, string> = {}): string[] {
  const unknown = Object.keys(given).filter((id) => !indicatorQuestionIds.includes(id));
  if (unknown.length) throw new Error(`not indicator questions of the pack: ${unknown.join(', ')}`);
  return indicatorQuestionIds.map((id) => given[id] ?? 'none');
}
