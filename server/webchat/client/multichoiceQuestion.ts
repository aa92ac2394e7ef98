// The protocol's multiple-choice question as the page reads it: plain code, no React, so the store
// middleware and its tests can use it without Web Chat.

/** What "None of these" sends: the runtime reads it as no signs (flows/answers.ts), as when it is typed. */
export const none = 'none';

/** A multiple-choice question as the protocol sends it (flows/protocol.ts `QuestionValue`); only these fields are read. */
export interface MultichoiceQuestion {
  id: string;
  turnId: number;
  choices: Array<{ value: string; title: string }>;
  /** The pack's own "none" choice, when the question lists one (the triage's `concern-overrides`): it is the form's "None of these". */
  noneTitle?: string;
}

/** The value of a bot activity when it asks a multiple-choice question with choices, else undefined. */
export function multichoiceOf(value: unknown): MultichoiceQuestion | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { type?: unknown; id?: unknown; expects?: unknown; turnId?: unknown; choices?: unknown };
  if (v.type !== 'safeguarding.question' || v.expects !== 'multichoice' || typeof v.id !== 'string' || typeof v.turnId !== 'number') return undefined;
  if (!Array.isArray(v.choices)) return undefined;
  const choices = v.choices.flatMap((c: unknown) => {
    const { value: cv, title } = (c ?? {}) as { value?: unknown; title?: unknown };
    return typeof cv === 'string' && typeof title === 'string' ? [{ value: cv, title }] : [];
  });
  const noneChoice = choices.find((c) => c.value === none);
  const signs = choices.filter((c) => c !== noneChoice);
  return signs.length ? { id: v.id, turnId: v.turnId, choices: signs, ...(noneChoice ? { noneTitle: noneChoice.title } : {}) } : undefined;
}
