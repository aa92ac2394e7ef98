import { z } from 'zod';
import { overrideFacts } from '../triage/types';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');

/** Shown as choices of `concern-overrides`, a multichoice question that splits answers on , ; & and "and". */
const label = z
  .string()
  .min(1)
  .refine((text) => !/[,;&]|\band\b/i.test(text), 'a label must not contain , ; & or "and" (multichoice answers split on them)');

const isOverrideFact = (key: string) => (overrideFacts as readonly string[]).includes(key);

/**
 * The routes of the order of evaluation (guidance rules §0, §7): the rule that turns the child-protection
 * answers into an urgency (question ids: any "yes" among `immediateIf` is immediate, among `sameDayIf` at
 * least same day), and words for the override facts the screening catalogue does not label yet.
 */
export const routesSectionSchema = z.strictObject({
  childProtection: z.strictObject({ immediateIf: z.array(id).min(1), sameDayIf: z.array(id).min(1) }),
  factLabels: z.record(id, label).superRefine((labels, ctx) => {
    for (const key of Object.keys(labels)) {
      if (!isOverrideFact(key)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not an override fact of flows/triage/types.ts` });
    }
  }),
});

export type RoutesSection = z.infer<typeof routesSectionSchema>;
