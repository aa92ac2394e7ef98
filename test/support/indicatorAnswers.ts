import { loadDefaultPack } from '../../flows';

/** The screening's indicator questions, in the order the pack asks them. */
export const indicatorQuestions: readonly string[] = loadDefaultPack().screening!.indicatorQuestions.map((ask) => ask.id);

/**
 * Typed answers to the screening's indicator questions, in the order the pack asks them: `none` to each
 * but those `given`. Walks of the screening answer the lists through this, so a question added to the
 * pack needs no edit here (flows/machines/screening/screeningTestKit.ts is its twin for flows' own tests).
 */
export function indicatorAnswers(given: Record<string, string> = {}): string[] {
  const unknown = Object.keys(given).filter((id) => !indicatorQuestions.includes(id));
  if (unknown.length) throw new Error(`not indicator questions of the pack: ${unknown.join(', ')}`);
  return indicatorQuestions.map((id) => given[id] ?? 'none');
}
