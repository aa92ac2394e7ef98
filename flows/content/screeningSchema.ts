import { z } from 'zod';
import { allIndicatorIds, unofferedIndicators } from '../vocabulary/catalogue';
import { concernKinds, routeSteps, type RouteStep } from '../vocabulary/triage';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');
const sourcedText = z.strictObject({ text: z.string().min(1), source: id.optional() });
/** Guidance words added for issue 17: each names the register entry it was written from. */
const citedText = z.strictObject({ text: z.string().min(1), source: id });
const count = z.number().int().min(1);

/**
 * Multichoice answers are split on commas and semicolons ("1, 3, older partner"), so a label containing
 * one could never be typed as part of a list. "and" is split only where the words around it are not a
 * label on their own, so "Sharing nudes and semi-nudes" stays whole.
 */
const label = z
  .string()
  .min(1)
  .refine((text) => !/[,;]/.test(text), 'a label must not contain , or ; (multichoice answers split on them)');

const indicatorWordsSchema = z.strictObject({
  /** Sentence case; shown on the button and, first letter lowered, in the rationale. */
  label,
  /** Words or phrases that propose this indicator when found (whole words) in the narrative. */
  phrases: z.array(z.string().min(2)).default([]),
});

/** One question that offers indicators to tick: its pack question's id (multichoice, `dynamicChoices`) and what it offers, in order. */
const indicatorQuestionSchema = z.strictObject({ id, offers: z.array(id).min(1) });

/** A category is reached when any one of its counts is met (critical, significant or total risk indicators). */
const thresholdSchema = z
  .strictObject({ critical: count.optional(), significant: count.optional(), total: count.optional() })
  .refine((t) => t.critical ?? t.significant ?? t.total, 'a threshold needs at least one count');

const pathwayTextSchema = sourcedText.extend({
  /** Added after `text` for the urgency the category gives ("phone now" for immediate). */
  byUrgency: z
    .strictObject({ routine: z.string().min(1), 'same-day': z.string().min(1), immediate: z.string().min(1) })
    .partial()
    .optional(),
});

/** Ages are whole years: `from` inclusive, `under` exclusive (13–15 is `{ from: 13, under: 16 }`). */
const ageRangeSchema = z
  .strictObject({ from: z.number().int().min(0).optional(), under: z.number().int().min(1).optional() })
  .refine((r) => r.from !== undefined || r.under !== undefined, 'an age range needs from or under')
  .refine((r) => r.from === undefined || r.under === undefined || r.from < r.under, 'an age range must not be empty');

/**
 * A safety override (rules §6.2): it fires when every group of `allOf` has at least one confirmed
 * indicator and the age is in range (an override with an age range never fires on an unknown age). It
 * fixes at least its category and urgency, and its steps are shown whatever the count gives.
 */
const overrideSchema = z.strictObject({
  id,
  when: z.strictObject({ allOf: z.array(z.array(id).min(1)).min(1), age: ageRangeSchema.optional() }),
  category: z.union([z.literal(3), z.literal(4)]),
  urgency: z.enum(['routine', 'same-day', 'immediate']),
  steps: z.array(z.enum(routeSteps)).min(1),
  /** Why, in the professional's words; shown with the result and named in its rationale. */
  reason: z.string().min(1),
  source: id,
});

/** The words of every route step (one per id, none missing): they may use the `{{call-now}}` / `{{call:ID}}` tokens. */
const stepsSchema = z.strictObject(Object.fromEntries(routeSteps.map((step) => [step, citedText])) as Record<RouteStep, typeof citedText>);

/** Words that suggest a harm the exploitation screening does not cover, by the kind of concern they point to. */
const otherHarmSchema = z.strictObject({
  kinds: z.partialRecord(z.enum(concernKinds), z.strictObject({ label: z.string().min(1), phrases: z.array(z.string().min(2)).min(1) })),
  /** Before the question `screen-other-harm`: `{kinds}` is the list of what was heard. */
  heard: citedText,
  /** At a result of category 0 with such signs, instead of "keep them in mind". */
  nothingFound: citedText,
  /** The hand-over message when the professional goes to the right route. */
  handover: citedText,
});

function checkOverrides(overrides: Array<z.infer<typeof overrideSchema>>, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  overrides.forEach((override, i) => {
    if (seen.has(override.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `override "${override.id}" is defined twice` });
    seen.add(override.id);
    for (const indicator of override.when.allOf.flat()) {
      if (!allIndicatorIds.includes(indicator as never)) {
        ctx.addIssue({ code: 'custom', path: [i, 'when'], message: `override "${override.id}": "${indicator}" is not an indicator id` });
      }
    }
    if (override.category === 4 && override.urgency !== 'immediate') {
      ctx.addIssue({ code: 'custom', path: [i, 'urgency'], message: `override "${override.id}": category 4 is immediate` });
    }
  });
}

function checkIndicators(indicators: Record<string, z.infer<typeof indicatorWordsSchema>>, ctx: z.RefinementCtx) {
  const problem = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  for (const key of allIndicatorIds) if (!indicators[key]) problem(key, `indicator "${key}" needs words`);
  for (const key of Object.keys(indicators)) {
    if (!allIndicatorIds.includes(key as never)) problem(key, `"${key}" is not an indicator id of the screening rule`);
  }
  const labels = Object.values(indicators).map((words) => words.label.toLowerCase());
  if (new Set(labels).size !== labels.length) problem('(labels)', 'indicator labels must be unique');
}

/** Every indicator but the missing ones is offered by exactly one question, and each question once. */
function checkIndicatorQuestions(asks: Array<z.infer<typeof indicatorQuestionSchema>>, ctx: z.RefinementCtx) {
  const problem = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const offeredBy = new Map<string, string>();
  const questions = new Set<string>();
  asks.forEach(({ id: question, offers }, i) => {
    if (questions.has(question)) problem([i, 'id'], `"${question}" is listed twice`);
    questions.add(question);
    offers.forEach((indicator, j) => {
      if (!allIndicatorIds.includes(indicator as never)) problem([i, 'offers', j], `"${indicator}" is not an indicator id of the screening rule`);
      else if (unofferedIndicators.includes(indicator as never)) problem([i, 'offers', j], `"${indicator}" is asked by the missing questions, not offered`);
      else if (offeredBy.has(indicator)) problem([i, 'offers', j], `"${indicator}" is offered by "${offeredBy.get(indicator)}" already`);
      offeredBy.set(indicator, question);
    });
  });
  for (const indicator of allIndicatorIds) {
    if (!unofferedIndicators.includes(indicator) && !offeredBy.has(indicator)) problem([], `indicator "${indicator}" is offered by no question`);
  }
}

/** The exploitation screening: thresholds, indicator words and what each pathway tells the professional. */
export const screeningSectionSchema = z.strictObject({
  thresholds: z.strictObject({ '1': thresholdSchema, '2': thresholdSchema, '3': thresholdSchema, '4': thresholdSchema }),
  /**
   * The safety overrides, applied before counting and never lowered (rules §6.2). They replace the old
   * blanket under-13 floor, which lifted any single mild sign to category 2 yet left a pregnant
   * 12-year-old at category 2 too (review C5, U2).
   */
  overrides: z.array(overrideSchema).min(1).superRefine(checkOverrides),
  steps: stepsSchema,
  otherHarm: otherHarmSchema,
  /** `missing` becomes the significant `missing-regular` at this many episodes within `days`. */
  missingRegular: z.strictObject({ episodes: count, days: count }),
  /** From this age the concern goes to adult safeguarding with the same reasoning. */
  adultFromAge: count,
  labels: z.strictObject({ '0': z.string().min(1), '1': z.string().min(1), '2': z.string().min(1), '3': z.string().min(1), '4': z.string().min(1) }),
  indicators: z.record(id, indicatorWordsSchema).superRefine(checkIndicators),
  /**
   * The questions that offer indicators to tick, in the order the screening asks them (after the missing
   * questions, before `screen-looked-after-elsewhere`). The machine walks this list: adding a question is
   * one entry here, with its words under `questions`.
   */
  indicatorQuestions: z.array(indicatorQuestionSchema).min(1).superRefine(checkIndicatorQuestions),
  pathways: z.strictObject({
    universal: pathwayTextSchema,
    'early-help': pathwayTextSchema,
    'mash-referral': pathwayTextSchema,
    'adult-safeguarding': pathwayTextSchema,
  }),
  placingAuthority: sourcedText,
  /** The closing offer of the result, by where the conversation goes next. */
  offers: z.strictObject({
    refer: sourcedText,
    /** Instead of `refer` for someone aged 18 or over: the children's MASH referral is not theirs (review U6). */
    adultRefer: citedText,
    advice: sourcedText,
    menu: sourcedText,
    coordinator: sourcedText.optional(),
  }),
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
    ...section.overrides.map((o, i): [string, { source?: string }] => [`overrides.${i}`, o]),
    ...Object.entries(section.steps).map(([key, text]): [string, { source?: string }] => [`steps.${key}`, text]),
    ['otherHarm.heard', section.otherHarm.heard],
    ['otherHarm.nothingFound', section.otherHarm.nothingFound],
    ['otherHarm.handover', section.otherHarm.handover],
    ['lado', section.lado],
    ...Object.entries(section.offers).map(([key, text]): [string, { source?: string }] => [`offers.${key}`, text]),
  ];
  return texts.map(([where, text]) => [`screening.${where}`, text.source]);
}
