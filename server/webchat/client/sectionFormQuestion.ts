// A question that carries a form (a referral section, issue 21 item 2) as the page reads it: plain code,
// no React, so it can be read and tested without Web Chat.

export interface SectionFormField {
  name: string;
  label: string;
  kind: 'text' | 'multiline' | 'date' | 'number' | 'yesnounknown';
  maxLength: number;
  choices: Array<{ value: string; title: string }>;
}

/** The protocol's `QuestionValue` with its `form` (flows/protocol.ts `QuestionForm`); only these fields are read. */
export interface SectionFormQuestion {
  id: string;
  turnId: number;
  hint: string;
  blocks: string[];
  fields: SectionFormField[];
  /** After a refused submit: what was typed and each field's error, keyed "block.field". */
  values: Record<string, string>;
  errors: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): Record<string, string> => (isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {});
const kinds = new Set(['text', 'multiline', 'date', 'number', 'yesnounknown']);

/** The value of a bot activity when its question carries a form, else undefined. */
export function sectionFormOf(value: unknown): SectionFormQuestion | undefined {
  if (!isRecord(value) || value.type !== 'safeguarding.question' || typeof value.id !== 'string' || typeof value.turnId !== 'number') return undefined;
  const form = value.form;
  if (!isRecord(form) || !Array.isArray(form.blocks) || !Array.isArray(form.fields) || typeof form.hint !== 'string') return undefined;
  const blocks = form.blocks.flatMap((b: unknown) => (isRecord(b) && typeof b.title === 'string' ? [b.title] : []));
  const fields = form.fields.flatMap((f: unknown): SectionFormField[] => {
    if (!isRecord(f) || typeof f.name !== 'string' || typeof f.label !== 'string' || typeof f.kind !== 'string' || !kinds.has(f.kind)) return [];
    const choices = Array.isArray(f.choices)
      ? f.choices.flatMap((c: unknown) => (isRecord(c) && typeof c.value === 'string' && typeof c.title === 'string' ? [{ value: c.value, title: c.title }] : []))
      : [];
    return [{ name: f.name, label: f.label, kind: f.kind as SectionFormField['kind'], maxLength: typeof f.maxLength === 'number' ? f.maxLength : 500, choices }];
  });
  if (!blocks.length || !fields.length) return undefined;
  return { id: value.id, turnId: value.turnId, hint: form.hint, blocks, fields, values: strings(form.values), errors: strings(form.errors) };
}
