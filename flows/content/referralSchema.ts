import { z } from 'zod';
import { concernCategories } from '../referral/contract';
import { allIndicatorIds } from '../screening/catalogue';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');
const sourcedText = z.strictObject({ text: z.string().min(1), source: id.optional() });

/** Shown as choices of a multichoice question (`intel-themes`), which splits answers on , ; & and "and". */
const label = z
  .string()
  .min(1)
  .refine((text) => !/[,;&]|\band\b/i.test(text), 'a label must not contain , ; & or "and" (multichoice answers split on them)');

const categoryWordsSchema = z.strictObject({
  label,
  /** Screening indicator ids (risk or vulnerability) that point to this concern category. */
  indicators: z
    .array(id)
    .default([])
    .superRefine((ids, ctx) => {
      for (const indicator of ids) {
        if (!allIndicatorIds.includes(indicator as never)) ctx.addIssue({ code: 'custom', message: `"${indicator}" is not a screening indicator id` });
      }
    }),
});

const byCategory = Object.fromEntries(concernCategories.map((category) => [category, categoryWordsSchema])) as Record<
  (typeof concernCategories)[number],
  typeof categoryWordsSchema
>;

/**
 * Filing a referral and sharing intelligence (issue 5): which screening indicators make which concern
 * category (a screening that points to none is `other`), the tool and lawful basis a referral states, the
 * words for urgency, and the labels of the summary a professional checks before it is sent.
 */
export const referralSectionSchema = z.strictObject({
  /** `screening.tool` in the referral body: the name of the screening the MASH is reading. */
  tool: z.string().min(1).max(100),
  /** `consent.lawfulBasis` in the referral body (at most 500 characters by the MASH contract). */
  lawfulBasis: sourcedText.extend({ text: z.string().min(1).max(500) }),
  concernCategories: z.strictObject(byCategory),
  urgencies: z.strictObject({ immediate: z.string().min(1), 'same-day': z.string().min(1), routine: z.string().min(1) }),
  /** Labels of the summary lines, by question id and a few others; the flow checks the ones it needs at start. */
  labels: z.record(id, z.string().min(1)),
});

export type ReferralSection = z.infer<typeof referralSectionSchema>;
