import { z } from 'zod';
import type { ContentPack } from '../../content/packSchema';
import type { OutgoingMessage, QuestionForm, QuestionFormField, QuestionValue } from '../../protocol';
import { words } from './referralWords';

/*
 * What every referral form shares (issue 21 items 2 and 7): the fields in the pack's words, the submit
 * read into blocks ("block.field" → what was typed), and a refusal that keeps everything typed with an
 * error beside each field. A section form (`sectionForm.ts`) and the child-and-concern form
 * (`detailsForm.ts`) differ only in their fields and in how a block becomes answers.
 */

type Kind = QuestionFormField['kind'];

/** One field of a form; `label` is a pack message key. */
export interface FieldDef {
  name: string;
  label: string;
  kind: Kind;
  maxLength: number;
  /** The block is not added without it once anything else in the block is filled in. */
  required?: boolean;
}

export const field = (name: string, label: string, kind: Kind, maxLength: number, required = false): FieldDef => ({ name, label, kind, maxLength, required });

/** The fields as the channels show them, in the pack's words. */
export function formFieldsOf(pack: ContentPack, fields: readonly FieldDef[]): QuestionFormField[] {
  const yesNoUnknown = ['yes', 'no', 'unknown'].map((value) => ({ value, title: words(pack, `ref-field-${value}`) }));
  return fields.map((f) => ({
    name: f.name,
    label: words(pack, f.label),
    kind: f.kind,
    maxLength: f.maxLength,
    ...(f.kind === 'yesnounknown' ? { choices: yesNoUnknown } : {}),
  }));
}

/** The message keys a form's fields and blocks say: checked when the referral machine is built. */
export const formMessageKeys = (fields: readonly FieldDef[]): string[] => [...fields.map((f) => f.label), ...['yes', 'no', 'unknown'].map((value) => `ref-field-${value}`)];

/** The most one field of a form may carry (the concern's limit, the longest in the contract). */
export const formValueMaxLength = 5000;

/** A form submit: "block.field" → what was typed (Teams sends every input, Web Chat the same keys). */
const submittedSchema = z.record(z.string().regex(/^\d{1,2}\.[A-Za-z]+$/), z.union([z.string().max(formValueMaxLength), z.number()]));

export interface Block {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** The submit's blocks, each holding what was typed in its known fields (trimmed); undefined when the answer is not a form. */
export function blocksOf(answer: unknown, count: number, fields: readonly FieldDef[]): Block[] | undefined {
  const parsed = submittedSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const blocks: Block[] = Array.from({ length: count }, () => ({ values: {}, errors: {} }));
  const known = new Set(fields.map((f) => f.name));
  for (const [key, raw] of Object.entries(parsed.data)) {
    const [index, name] = key.split('.');
    const block = blocks[Number(index)];
    if (block && known.has(name)) block.values[name] = String(raw).trim();
  }
  return blocks;
}

export type FormReading = { ok: true; entries: string[]; lines: string[] } | { ok: false; values: Record<string, string>; errors: Record<string, string>; problems: string[] };

/**
 * Accepted (`entries` are the answer the flow records, `lines` the record of it in words) when no block
 * has an error; otherwise every field's error in words, and what was typed and the errors keyed
 * "block.field" so the form comes back filled in.
 */
export function formReading(
  pack: ContentPack,
  blocks: Block[],
  { fields, blockTitle, entries, lines }: { fields: readonly FieldDef[]; blockTitle: (i: number) => string; entries: string[]; lines: string[] },
): FormReading {
  const labelOf = (name: string) => words(pack, fields.find((f) => f.name === name)!.label);
  const problems = blocks.flatMap((block, i) => Object.entries(block.errors).map(([name, text]) => `${blockTitle(i)}, ${labelOf(name)}: ${text}`));
  if (problems.length === 0) return { ok: true, entries, lines };
  const flat = (pick: (block: Block) => Record<string, string>) =>
    Object.fromEntries(blocks.flatMap((block, i) => Object.entries(pick(block)).map(([name, text]) => [`${i}.${name}`, text])));
  return { ok: false, values: flat((b) => b.values), errors: flat((b) => b.errors), problems };
}

/** Said when a form is refused: every field that needs changing, in words, for channels that show no form. */
export const formRefusedText = (pack: ContentPack, problems: string[]): string => words(pack, 'ref-form-fix', { problems: problems.map((p) => `- ${p}`).join('\n') });

/** The question's form filled in: after a refused submit, what was typed and each field's error; before one, what the flow already knows. */
export function withFormEcho(message: OutgoingMessage, echo: { values: Record<string, string>; errors?: Record<string, string> }): OutgoingMessage {
  const value = message.value as (QuestionValue & Record<string, unknown>) | undefined;
  if (!value?.form) return message;
  const form: QuestionForm = { ...value.form, values: echo.values, ...(echo.errors ? { errors: echo.errors } : {}) };
  return { ...message, value: { ...value, form } };
}
