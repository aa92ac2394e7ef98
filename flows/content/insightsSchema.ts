import { z } from 'zod';

/** The fixed set of referrer organisation types the partnership reports by (issue 11). */
export const organisationTypes = ['school', 'health', 'police', 'social-care', 'voluntary', 'other'] as const;
export type OrganisationType = (typeof organisationTypes)[number];

/**
 * How free-text organisation names map to a type: lower-case words or phrases, the first type whose
 * keyword appears in the name wins (in the order of `organisationTypes`), else `other`. Kept in the pack
 * so a partnership can add its own trusts and academies without a code change.
 */
export const insightsSectionSchema = z.strictObject({
  organisationTypes: z.strictObject({
    school: z.array(z.string().min(2)).min(1),
    health: z.array(z.string().min(2)).min(1),
    police: z.array(z.string().min(2)).min(1),
    'social-care': z.array(z.string().min(2)).min(1),
    voluntary: z.array(z.string().min(2)).min(1),
  }),
});

export type InsightsSection = z.infer<typeof insightsSectionSchema>;
