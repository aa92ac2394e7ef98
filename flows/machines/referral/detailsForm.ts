import { z } from 'zod';
import { parseAnswer } from '../../answers';
import type { ContentPack, PackQuestion } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerValue, QuestionForm } from '../../protocol';
import { skipped } from '../flowKit';
import { blocksOf, field, formFieldsOf, formMessageKeys, formReading, type Block, type FieldDef, type FormReading } from './formKit';
import { referralQuestions as Q } from './referralQuestions';
import { words } from './referralWords';

/*
 * The child and the concern as one form (issue 21 item 7: "where the channel can show a form ... a section
 * is one card with one submit"), offered on the first of its questions. Each field is read by its own
 * question's rules (`parseAnswer`: the date of birth, NHS number, UPN and postcode validators), so a form
 * accepts exactly what typing one answer at a time accepts. Safety questions, consent, the kind of
 * organisation and the child's views are never in it: they stay questions of their own. A question left
 * empty that may be skipped is skipped; one that may not (the date of birth, the concern) is asked next,
 * so nothing required is taken as given.
 */

interface DetailsField extends FieldDef {
  question: string;
}

const detail = (question: string, name: string, label: string, kind: FieldDef['kind'], maxLength: number, required = false): DetailsField => ({
  ...field(name, label, kind, maxLength, required),
  question,
});

/** In the order the questions are asked; the lengths are the typed questions' own (`maxLength` in the pack) or their validators'. */
const detailsFields: readonly DetailsField[] = [
  detail(Q.firstName, 'firstName', 'ref-field-child-first-name', 'text', 100, true),
  detail(Q.lastName, 'lastName', 'ref-field-child-last-name', 'text', 100),
  detail(Q.dob, 'dob', 'ref-field-dob', 'date', 20),
  detail(Q.nhs, 'nhs', 'ref-field-nhs', 'text', 40),
  detail(Q.upn, 'upn', 'ref-field-upn', 'text', 20),
  detail(Q.postcode, 'postcode', 'ref-field-postcode', 'text', 10),
  detail(Q.school, 'school', 'ref-field-school', 'text', 200),
  detail(Q.summary, 'summary', 'ref-field-concern', 'multiline', 5000),
];

/** The questions the form answers: the flow goes on at the first of them it left unanswered. */
export const detailsQuestions: readonly string[] = detailsFields.map((f) => f.question);

/** Every pack message the form says: checked when the referral machine is built. */
export const detailsFormMessageKeys: readonly string[] = [
  ...formMessageKeys(detailsFields),
  'ref-form-details-hint',
  'ref-form-block-details',
  'ref-form-first-name-needed',
  'ref-form-too-long',
];

function questionOf(pack: ContentPack, id: string): PackQuestion {
  const question = pack.questions[id];
  if (!question) throw new DomainError('SG-CONTENT-INVALID', `question "${id}" is not in pack ${pack.id}`);
  return question;
}

/** The form `ref-child-first-name` shows, in the pack's words; undefined for every other question. */
export function detailsFormOf(pack: ContentPack, questionId: string): QuestionForm | undefined {
  if (questionId !== Q.firstName) return undefined;
  return {
    hint: words(pack, 'ref-form-details-hint'),
    blocks: [{ title: words(pack, 'ref-form-block-details') }],
    fields: formFieldsOf(pack, detailsFields).map((f, i) => ({ ...f, maxLength: questionOf(pack, detailsFields[i].question).maxLength ?? f.maxLength })),
  };
}

/** The form's answer as the flow records it: one `["question id", "answer"]` per question it answered. */
const pairSchema = z.tuple([z.string(), z.string()]);

const pairText = (question: string, value: string): string => JSON.stringify([question, value]);

/** The questions a details form answered, in order; undefined when `value` is not a details form's answer. */
export function detailsAnswersOf(value: AnswerValue | undefined): Map<string, string> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const text of value) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    const pair = pairSchema.safeParse(parsed);
    if (!pair.success || !detailsQuestions.includes(pair.data[0])) return undefined;
    pairs.push(pair.data);
  }
  return new Map(pairs);
}

/** Choices a field may take like typing it: "Skip" and "Not known"; "Not now" or "Use what I wrote" are for the question, not a field. */
const fieldChoices = new Set([skipped, 'unknown']);

/** One field read by its question's rules: the answer, or the error beside the field. */
function readField(pack: ContentPack, f: DetailsField, text: string, now: Date): { value: string } | { error: string } | undefined {
  const question = questionOf(pack, f.question);
  if (!text) {
    if (f.required) return { error: words(pack, 'ref-form-first-name-needed') };
    return question.optional ? { value: skipped } : undefined;
  }
  const parsed = parseAnswer(question, text, { now });
  const choice = parsed.ok && question.choices?.some((c) => c.value === parsed.value) && !fieldChoices.has(String(parsed.value));
  if (parsed.ok && !choice) return { value: String(parsed.value) };
  const reason = parsed.ok ? undefined : parsed.reason;
  return { error: reason ?? question.reask ?? words(pack, 'ref-form-too-long', { max: String(question.maxLength ?? f.maxLength) }) };
}

/**
 * A details form submit read question by question: accepted when every filled field is a valid answer
 * to its question (the answers recorded, the lines in the field labels' words), else each field's error
 * and everything typed, so the form comes back filled in.
 */
export function readDetailsForm(pack: ContentPack, questionId: string, answer: unknown, now: Date): FormReading | undefined {
  const blocks = questionId === Q.firstName ? blocksOf(answer, 1, detailsFields) : undefined;
  if (!blocks) return undefined;
  const block: Block = blocks[0];
  const entries: string[] = [];
  const lines: string[] = [];
  for (const f of detailsFields) {
    const text = block.values[f.name] ?? '';
    const read = readField(pack, f, text, now);
    if (read && 'error' in read) block.errors[f.name] = read.error;
    else if (read) {
      entries.push(pairText(f.question, read.value));
      if (text) lines.push(`${words(pack, f.label)}: ${text}`);
    }
  }
  return formReading(pack, blocks, { fields: detailsFields, blockTitle: () => words(pack, 'ref-form-block-details'), entries, lines });
}

const ukDate = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

/**
 * What the form shows filled in before anything is sent: the answers already given (when it is shown to
 * change one of them from the check page) and, for the concern, what the professional already wrote
 * (the screening narrative "Use what I wrote" offers when typing).
 */
export function detailsPrefill(answers: Record<string, AnswerValue>, narrative: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of detailsFields) {
    const value = answers[f.question];
    if (typeof value === 'string' && value !== skipped && value !== 'unknown') values[`0.${f.name}`] = f.question === Q.dob ? ukDate(value) : value;
  }
  if (!values['0.summary'] && narrative) values['0.summary'] = narrative;
  return values;
}
