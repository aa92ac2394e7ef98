import { z } from 'zod';
import type { ServiceWords } from '../../flows';
import { answerAction, heading, type AnswerData, type CardElement, type ExecuteAction, type TextBlock } from './cardElements';

/*
 * A question that carries a form (a referral section, issue 21 item 2; the child and the concern, item 7)
 * as one Adaptive Card: a block of inputs per person (or agency), one Send. Teams merges every input into
 * the action's data by id ("form.0.name"); `formAnswerOf` gathers them into the "block.field" object the
 * runtime reads. After a refused submit the question comes back with what was typed in each input and its
 * error under it.
 */

/** The protocol's `QuestionForm` (flows/protocol.ts), parsed: the message is a boundary. */
export const questionFormSchema = z.object({
  hint: z.string(),
  blocks: z.array(z.object({ title: z.string() })).min(1),
  fields: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z]+$/),
      label: z.string(),
      kind: z.enum(['text', 'multiline', 'date', 'number', 'yesnounknown']),
      maxLength: z.number().int().positive(),
      choices: z.array(z.object({ value: z.string(), title: z.string() })).optional(),
    }),
  ),
  values: z.record(z.string(), z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

export type ShownForm = z.infer<typeof questionFormSchema>;

/** What the Send button carries as `answer`; the inputs arrive beside it. */
export const formAnswerMarker = 'form';
const inputPrefix = 'form.';

const errorLine = (text: string): TextBlock => ({ type: 'TextBlock', text, wrap: true, color: 'Attention', spacing: 'Small' });

/** The blocks of inputs, each filled with what was typed and followed by its error, if any. */
export function formElements(form: ShownForm): CardElement[] {
  const hint: TextBlock = { type: 'TextBlock', text: form.hint, wrap: true, isSubtle: true };
  return [
    hint,
    ...form.blocks.flatMap((block, i): CardElement[] => [
      heading(block.title),
      ...form.fields.flatMap((f): CardElement[] => {
        const key = `${i}.${f.name}`;
        const value = form.values?.[key];
        const error = form.errors?.[key];
        // A field with an error says so in its label too, so a screen reader hears it with the input.
        const label = error ? `${f.label} (${error})` : f.label;
        const input: CardElement =
          f.kind === 'yesnounknown'
            ? { type: 'Input.ChoiceSet', id: `${inputPrefix}${key}`, label, style: 'compact', choices: f.choices ?? [], ...(value ? { value } : {}) }
            : { type: 'Input.Text', id: `${inputPrefix}${key}`, label, maxLength: f.maxLength, isMultiline: f.kind === 'multiline', ...(value ? { value } : {}) };
        return error ? [input, errorLine(error)] : [input];
      }),
    ]),
  ];
}

/**
 * One Send for the whole form, then the question's own choices ("Not now", "That's all"), which answer
 * without the inputs: a form never takes away a way out that typing has.
 */
export function formActions(data: AnswerData, say: ServiceWords, choices: ReadonlyArray<{ value: string; title: string }> = []): ExecuteAction[] {
  const send = answerAction(say('card-send'), { ...data, answer: formAnswerMarker }, { style: 'positive' });
  return [send, ...choices.map((c) => answerAction(c.title, { ...data, answer: c.value }, { associatedInputs: 'none' }))];
}

/** The "block.field" answer of a form's Send, from the action's data (inputs merged by id); undefined for any other answer. */
export function formAnswerOf(data: Record<string, unknown>): Record<string, string> | undefined {
  if (data.answer !== formAnswerMarker) return undefined;
  const fields = Object.entries(data).flatMap(([key, value]) =>
    key.startsWith(inputPrefix) && (typeof value === 'string' || typeof value === 'number') ? [[key.slice(inputPrefix.length), String(value)] as const] : [],
  );
  return Object.fromEntries(fields);
}
