import type { AnswerValue, Choice } from './protocol';
import type { PackChoice, PackQuestion } from './content/packSchema';
import { DomainError } from './errors';
import { validators } from './validation/validators';

/** A parsed answer, or why not: `reason` (a validator's, in plain English) is said when the question is asked again. */
export type ParsedAnswer = { ok: true; value: AnswerValue } | { ok: false; reason?: string };

/** What parsing may need besides the text: the turn's time (`TurnMeta.now`), for a date of birth. */
export interface ParseContext {
  now?: Date;
}

const yesWords = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'true', 'correct', 'i think so']);
const noWords = new Set(['no', 'n', 'nope', 'false', 'not really']);
const noneWords = new Set(['none', 'none of these', 'none of them', 'nothing', 'no']);

/** Lower-case, single spaces, no surrounding quotes or trailing punctuation: how people type on phones. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“”]+|["'“”]+$/g, '')
    .replace(/[.!?]+$/, '')
    .trim();
}

/** yes/no questions carry the two choices even when the pack does not spell them out. */
export function choicesOf(question: PackQuestion): PackChoice[] {
  if (question.choices?.length) return question.choices;
  if (question.expects === 'yesno') {
    return [
      { value: 'yes', title: 'Yes', aliases: [] },
      { value: 'no', title: 'No', aliases: [] },
    ];
  }
  return [];
}

/**
 * The question as asked right now: when the flow supplies the choices (they depend on earlier answers),
 * they replace the pack's, so typing, numbering and card submits all work against what was shown. A
 * flow's choice that the pack also lists keeps the pack's aliases ("keep" for "Use what I wrote").
 */
export function withChoices(question: PackQuestion, choices?: readonly Choice[]): PackQuestion {
  if (!choices) return question;
  const aliasesOf = (value: string) => question.choices?.find((c) => c.value === value)?.aliases ?? [];
  return { ...question, choices: choices.map(({ value, title }) => ({ value, title, aliases: aliasesOf(value) })) };
}

/** Choices as the protocol shows them (value and title only). */
export function publicChoices(question: PackQuestion): Choice[] | undefined {
  const choices = choicesOf(question);
  return choices.length ? choices.map(({ value, title }) => ({ value, title })) : undefined;
}

function matchChoice(choices: PackChoice[], token: string, byNumber = true): PackChoice | undefined {
  const t = normalise(token);
  if (/^\d+$/.test(t) && byNumber) return choices[Number(t) - 1];
  return choices.find((c) => normalise(c.title) === t || c.value === t || c.aliases.some((a) => normalise(a) === t));
}

function parseChoice(question: PackQuestion, text: string): ParsedAnswer {
  const choices = choicesOf(question);
  const match = matchChoice(choices, text);
  if (match) return { ok: true, value: match.value };
  if (question.expects === 'yesno') {
    const t = normalise(text);
    if (yesWords.has(t)) return { ok: true, value: 'yes' };
    if (noWords.has(t)) return { ok: true, value: 'no' };
  }
  return { ok: false };
}

function parseMultichoice(question: PackQuestion, text: string): ParsedAnswer {
  const t = normalise(text);
  if (noneWords.has(t)) return { ok: true, value: [] };
  const choices = choicesOf(question);
  const whole = matchChoice(choices, t);
  if (whole) return { ok: true, value: [whole.value] };
  // Commas and semicolons always separate; "and"/"&" separate only where the words between them are not
  // one choice on their own ("sharing nudes and semi-nudes, 3" keeps its label whole).
  const picked: string[] = [];
  for (const part of t.split(/\s*[,;]\s*/).filter(Boolean)) {
    const whole = matchChoice(choices, part);
    const matches = whole
      ? [whole]
      : part
          .split(/\s*(?:\band\b|&)\s*/)
          .filter(Boolean)
          .map((token) => matchChoice(choices, token));
    for (const match of matches) {
      if (!match) return { ok: false };
      if (!picked.includes(match.value)) picked.push(match.value);
    }
  }
  return picked.length ? { ok: true, value: picked } : { ok: false };
}

function parseNumber(question: PackQuestion, text: string): ParsedAnswer {
  // "14", "about 14", "14 years": one number, a few words around it at most.
  const match = /^\D{0,12}?(-?\d{1,6}(?:\.\d+)?)\D{0,12}$/.exec(normalise(text));
  if (!match) return { ok: false };
  const value = Number(match[1]);
  if (question.min !== undefined && value < question.min) return { ok: false };
  if (question.max !== undefined && value > question.max) return { ok: false };
  return { ok: true, value };
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.toISOString().slice(0, 10) : undefined;
}

function parseDate(text: string): ParsedAnswer {
  const t = normalise(text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  const value = iso ? isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) : uk ? isoDate(Number(uk[3]), Number(uk[2]), Number(uk[1])) : undefined;
  return value ? { ok: true, value } : { ok: false };
}

function parseText(question: PackQuestion, text: string): ParsedAnswer {
  const value = text.trim();
  const max = question.maxLength ?? 5000;
  return value.length >= (question.minLength ?? 1) && value.length <= max ? { ok: true, value } : { ok: false };
}

/**
 * A text, date or number question may offer choices as shortcuts ("Skip", "Not known"); typing one's
 * title, value or alias picks it before the text is read as an answer. Numbers pick a choice only where
 * the answer itself is not a number.
 */
function shortcut(question: PackQuestion, text: string): PackChoice | undefined {
  const choices = question.choices ?? [];
  return choices.length ? matchChoice(choices, text, question.expects !== 'number') : undefined;
}

function validated(question: PackQuestion & { validator: NonNullable<PackQuestion['validator']> }, text: string, now?: Date): ParsedAnswer {
  if (!now) throw new DomainError('SG-INTERNAL', `question validator "${question.validator}" needs the turn's time`);
  // "about 13" is 13 to a number question; the validator then judges the number itself.
  const number = question.expects === 'number' ? parseNumber({ ...question, min: undefined, max: undefined }, text) : undefined;
  const result = validators[question.validator](number?.ok ? String(number.value) : text, now);
  return result.ok ? { ok: true, value: result.value } : { ok: false, reason: result.reason };
}

/**
 * Turns what a professional typed into the answer a question expects, or says it could not. A question
 * with a `validator` is read by it (an NHS number's check digit, a date of birth against `now`), and a
 * bad answer carries the validator's reason.
 */
export function parseAnswer(question: PackQuestion, text: string, context: ParseContext = {}): ParsedAnswer {
  if (question.expects === 'text' || question.expects === 'date' || question.expects === 'number') {
    const picked = shortcut(question, text);
    if (picked) return { ok: true, value: picked.value };
  }
  if (question.validator) return validated({ ...question, validator: question.validator }, text, context.now);
  switch (question.expects) {
    case 'choice':
    case 'yesno':
      return parseChoice(question, text);
    case 'multichoice':
      return parseMultichoice(question, text);
    case 'number':
      return parseNumber(question, text);
    case 'date':
      return parseDate(text);
    case 'text':
      return parseText(question, text);
  }
}

/** Card submits carry values, not titles: arrays and "a,b" strings (Input.ChoiceSet) both arrive. */
export function parseSubmittedAnswer(question: PackQuestion, answer: unknown, context: ParseContext = {}): ParsedAnswer {
  if (Array.isArray(answer)) return parseAnswer(question, answer.map(String).join(','), context);
  if (typeof answer === 'number' && Number.isFinite(answer)) return parseAnswer(question, String(answer), context);
  if (typeof answer === 'string') return parseAnswer(question, answer, context);
  return { ok: false };
}
