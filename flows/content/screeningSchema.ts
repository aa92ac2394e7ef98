import { z } from 'zod';
import { allIndicatorIds, isCritical, isVulnerability, screeningGroupQuestions } from '../screening/catalogue';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');
const sourcedText = z.strictObject({ text: z.string().min(1), source: id.optional() });
const count = z.number().int().min(1);

/**
 * Multichoice answers are split on commas, semicolons, "&" and "and" ("1, 3 and older partner"), so a
 * label containing one of them could never be typed as part of a list.
 */
const label = z
  .string()
  .min(1)
  .refine((text) => !/[,;&]|\band\b/i.test(text), 'a label must not contain , ; & or "and" (multichoice answers split on them)');

const indicatorWordsSchema = z.strictObject({
  /** Sentence case; shown on the button and, first letter lowered, in the rationale. */
  label,
  /** Words or phrases that propose this indicator when found (whole words) in the narrative. */
  phrases: z.array(z.string().min(2)).default([]),
  /** Which group question offers a risk indicator; critical indicators and vulnerabilities have their own. */
  question: z.enum(screeningGroupQuestions).optional(),
});

/** A category is reached when any one of its counts is met (critical, significant or total risk indicators). */
const thresholdSchema = z
  .strictObject({ critical: count.optional(), significant: count.optional(), total: count.optional() })
  .refine((t) => t.critical ?? t.significant ?? t.total, 'a threshold needs at least one count');

const pathwayTextSchema = sourcedText.extend({
  /** Added after `text` for the urgency the category gives ("phone now" for immediate). */
  byUrgency: z.strictObject({ routine: z.string().min(1), 'same-day': z.string().min(1), immediate: z.string().min(1) }).partial().optional(),
});

function checkIndicators(indicators: Record<string, z.infer<typeof indicatorWordsSchema>>, ctx: z.RefinementCtx) {
  const problem = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  for (const key of allIndicatorIds) if (!indicators[key]) problem(key, `indicator "${key}" needs words`);
  for (const [key, words] of Object.entries(indicators)) {
    if (!allIndicatorIds.includes(key as never)) problem(key, `"${key}" is not an indicator id of the screening rule`);
    const grouped = key !== 'missing' && key !== 'missing-regular' && !isCritical(key) && !isVulnerability(key);
    if (grouped && !words.question) problem(key, `risk indicator "${key}" needs a group question`);
    if (!grouped && words.question) problem(key, `"${key}" is not asked in a group question`);
  }
  const labels = Object.values(indicators).map((words) => words.label.toLowerCase());
  if (new Set(labels).size !== labels.length) problem('(labels)', 'indicator labels must be unique');
}

/** The exploitation screening: thresholds, indicator words and what each pathway tells the professional. */
export const screeningSectionSchema = z.strictObject({
  thresholds: z.strictObject({ '1': thresholdSchema, '2': thresholdSchema, '3': thresholdSchema, '4': thresholdSchema }),
  /** No child under `underAge` with any risk indicator is rated below `floor` (SERAF-style escalation). */
  youngChild: z.strictObject({ underAge: count, minTotal: count, floor: z.number().int().min(0).max(4) }),
  /** `missing` becomes the significant `missing-regular` at this many episodes within `days`. */
  missingRegular: z.strictObject({ episodes: count, days: count }),
  /** From this age the concern goes to adult safeguarding with the same reasoning. */
  adultFromAge: count,
  labels: z.strictObject({ '0': z.string().min(1), '1': z.string().min(1), '2': z.string().min(1), '3': z.string().min(1), '4': z.string().min(1) }),
  indicators: z.record(id, indicatorWordsSchema).superRefine(checkIndicators),
  pathways: z.strictObject({
    universal: pathwayTextSchema,
    'early-help': pathwayTextSchema,
    'mash-referral': pathwayTextSchema,
    'adult-safeguarding': pathwayTextSchema,
  }),
  placingAuthority: sourcedText,
  /** The closing offer of the result, by where the conversation goes next. */
  offers: z.strictObject({ refer: sourcedText, advice: sourcedText, menu: sourcedText, coordinator: sourcedText.optional() }),
  raised: sourcedText,
  lado: sourcedText.extend({ criteria: z.array(z.string().min(1)).min(1) }),
});

export type ScreeningSection = z.infer<typeof screeningSectionSchema>;

/** Every `source` the screening words name, with where, so the loader can check each is a pack source. */
export function screeningSources(section: ScreeningSection | undefined): Array<[string, string | undefined]> {
  if (!section) return [];
  const texts: Array<[string, { source?: string }]> = [
    ...Object.entries(section.pathways).map(([key, text]): [string, { source?: string }] => [`pathways.${key}`, text]),
    ['placingAuthority', section.placingAuthority],
    ['raised', section.raised],
    ['lado', section.lado],
    ...Object.entries(section.offers).map(([key, text]): [string, { source?: string }] => [`offers.${key}`, text]),
  ];
  return texts.map(([where, text]) => [`screening.${where}`, text.source]);
}
