import type { ContentPack } from '../../content/packSchema';
import type { AnswerValue, Choice } from '../../protocol';
import { urgencies, type Urgency } from '../../referral/contract';
import { choicesOf } from '../../answers';
import { categoryHeading } from '../../screening/outcome';
import type { Category } from '../../screening/categorise';
import { consentBeforeKey, referralQuestions as Q } from './referralQuestions';
import { words } from './referralWords';

/*
 * Raising the urgency from the check page (issue 21 item 3): only ever up, never down (guidance rules
 * §6.2: nothing later lowers an urgency already fixed), and always with a reason the MASH reads.
 */

const rank: Record<Urgency, number> = { routine: 0, 'same-day': 1, immediate: 2 };

/** The urgency the professional raised it to, when they did. */
export function raisedTo(answers: Record<string, AnswerValue> | undefined): Urgency | undefined {
  const value = answers?.[Q.raiseUrgency];
  return typeof value === 'string' && (urgencies as readonly string[]).includes(value) ? (value as Urgency) : undefined;
}

/** The urgencies above `current`, in the pack's words, highest last. */
export function raiseChoices(pack: ContentPack, current: Urgency): Choice[] {
  return choicesOf(pack.questions[Q.raiseUrgency])
    .filter((c) => (urgencies as readonly string[]).includes(c.value) && rank[c.value as Urgency] > rank[current])
    .map((c) => ({ value: c.value, title: c.title }));
}

/** The words added to the concern so the MASH reads why it was raised (typed words never go to the audit). */
export function raiseNote(pack: ContentPack, from: Urgency, answers: Record<string, AnswerValue>): string | undefined {
  const to = raisedTo(answers);
  const reason = answers[Q.raiseReason];
  if (!to || rank[to] <= rank[from] || typeof reason !== 'string') return undefined;
  const section = pack.referral!;
  return words(pack, 'ref-urgency-raised', { from: section.urgencies[from], to: section.urgencies[to], reason });
}

/** A consent answer corrected from the check page: what it was, and the reason, for the MASH to read. */
export function consentCorrection(answers: Record<string, AnswerValue>): { from: string; to: string; reason: string } | undefined {
  const from = answers[consentBeforeKey];
  const to = answers[Q.consent];
  const reason = answers[Q.consentReason];
  return typeof from === 'string' && typeof to === 'string' && typeof reason === 'string' && from !== to ? { from, to, reason } : undefined;
}

/** The consent block's `details` for a corrected answer. */
export function consentCorrectionNote(pack: ContentPack, answers: Record<string, AnswerValue>): string | undefined {
  const corrected = consentCorrection(answers);
  if (!corrected) return undefined;
  const title = (value: string) => choicesOf(pack.questions[Q.consent]).find((c) => c.value === value)?.title ?? value;
  return words(pack, 'ref-consent-corrected', { from: title(corrected.from), reason: corrected.reason }).slice(0, 2000);
}

/*
 * Raising the screening category from the check page (issue 21 item 3, guidance rules §6.1: a professional
 * may raise a category with a reason, never lower one). Only exploitation referrals have a category.
 */

/** The category the professional raised it to, when they did and it is above `from`. */
export function categoryRaisedTo(answers: Record<string, AnswerValue> | undefined, from: number | undefined): Category | undefined {
  const to = Number(answers?.[Q.raiseCategory]);
  return from !== undefined && Number.isInteger(to) && to > from && to <= 4 && typeof answers?.[Q.raiseCategoryReason] === 'string' ? (to as Category) : undefined;
}

/** The categories above `current`, in the pack's words. */
export function categoryRaiseChoices(pack: ContentPack, current: number): Choice[] {
  return choicesOf(pack.questions[Q.raiseCategory])
    .filter((c) => Number(c.value) > current)
    .map((c) => ({ value: c.value, title: c.title }));
}

/** The words added to the concern so the MASH reads why the category was raised (never audited). */
export function categoryRaiseNote(pack: ContentPack, from: number | undefined, answers: Record<string, AnswerValue>): string | undefined {
  const to = categoryRaisedTo(answers, from);
  if (to === undefined || from === undefined) return undefined;
  const heading = (category: number) => categoryHeading(category as Category, pack.screening!);
  return words(pack, 'ref-category-raised', { from: heading(from), to: heading(to), reason: String(answers[Q.raiseCategoryReason]) });
}
