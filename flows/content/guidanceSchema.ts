import { z } from 'zod';

// Kept local (not imported from packSchema) because packSchema imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');

/**
 * A rule of practice a decision rests on (the seven golden rules of information sharing). `source` is
 * required: a rule quoted to a professional without its source cannot be checked by their lead.
 */
export const guidanceRuleSchema = z.strictObject({
  /** Short words for lists ("Record your decision"). */
  title: z.string().min(1),
  /** The rule in plain English. */
  text: z.string().min(1),
  source: id,
  /** Which flow outcomes rest on this rule (e.g. `share-without-consent`); the flow checks the ids at start. */
  appliesTo: z.array(id).default([]),
});

/**
 * A short answer to a question professionals ask at any point ("do I need consent?"). When free text at a
 * question that is not free text contains one of `phrases` (as whole words), the answer is given and the
 * question asked again, so nobody loses their place to ask it.
 */
export const faqSchema = z.strictObject({
  id,
  /** The question as a professional would ask it; shown above the answer. */
  question: z.string().min(1),
  phrases: z.array(z.string().min(2)).min(1),
  text: z.string().min(1),
  source: id,
});

/** FAQs come from several pack parts; a duplicated id would make two answers indistinguishable in tests and logs. */
export const faqListSchema = z.array(faqSchema).superRefine((faqs, ctx) => {
  const seen = new Set<string>();
  faqs.forEach((faq, i) => {
    if (seen.has(faq.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `faq "${faq.id}" is defined twice` });
    seen.add(faq.id);
  });
});

export type GuidanceRule = z.infer<typeof guidanceRuleSchema>;
export type PackFaq = z.infer<typeof faqSchema>;
