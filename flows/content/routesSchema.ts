import { z } from 'zod';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');

/**
 * The routes of the order of evaluation (guidance rules §0, §7): the rule that turns the child-protection
 * answers into an urgency (question ids: any "yes" among `immediateIf` is immediate, among `sameDayIf` at
 * least same day). The override facts are worded once, as the screening catalogue's indicators.
 */
export const routesSectionSchema = z.strictObject({
  childProtection: z.strictObject({ immediateIf: z.array(id).min(1), sameDayIf: z.array(id).min(1) }),
});

export type RoutesSection = z.infer<typeof routesSectionSchema>;
