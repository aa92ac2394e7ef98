import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');

export const sourceSchema = z.object({
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: z.string().min(4),
  url: z.url().optional(),
});

const textWithSource = z.object({
  text: z.string().min(1),
  source: id.optional(),
});

export const choiceSchema = z.object({
  value: id,
  title: z.string().min(1),
  /** Other words that pick this choice when typed ("yep", "the police"). */
  aliases: z.array(z.string().min(1)).default([]),
});

export const questionSchema = z
  .object({
    text: z.string().min(1),
    expects: z.enum(['choice', 'yesno', 'multichoice', 'text', 'date', 'number']),
    choices: z.array(choiceSchema).optional(),
    help: z.string().min(1).optional(),
    reask: z.string().min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    maxLength: z.number().int().positive().optional(),
    source: id.optional(),
  })
  .superRefine((q, ctx) => {
    const needsChoices = q.expects === 'choice' || q.expects === 'multichoice';
    if (needsChoices && (!q.choices || q.choices.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: `a ${q.expects} question needs choices` });
    }
    const values = (q.choices ?? []).map((c) => c.value);
    if (new Set(values).size !== values.length) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'choice values must be unique' });
    }
  });

export const contactSchema = z.object({
  id,
  name: z.string().min(1),
  number: z.string().min(1),
  hours: z.string().min(1),
  for: z.string().min(1),
  /** Shown with the emergency interrupt. */
  emergency: z.boolean().default(false),
  source: id.optional(),
  notes: z.string().optional(),
});

/** Message keys the runtime itself relies on; a pack without them must not load. */
export const requiredMessageKeys = [
  'welcome',
  'welcome-back',
  'help',
  'reask',
  'emergency',
  'restarted',
  'back-at-start',
  'went-back',
  'moved-on',
  'version-restart',
  'advice-lines',
] as const;

const messagesSchema = z.record(id, textWithSource).superRefine((messages, ctx) => {
  for (const key of requiredMessageKeys) {
    if (!messages[key]) ctx.addIssue({ code: 'custom', path: [key], message: `message "${key}" is required` });
  }
});

export const intentSchema = z.object({
  id,
  /** Lower-case words or phrases; any one found in free text (as whole words) signals the intent. */
  phrases: z.array(z.string().min(2)).min(1),
});

export const contentPackSchema = z.object({
  id,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'version is semver (major.minor.patch)'),
  locale: z.string().min(2),
  title: z.string().min(1),
  notes: z.array(z.string()).default([]),
  sources: z.record(id, sourceSchema),
  messages: messagesSchema,
  questions: z.record(id, questionSchema),
  intents: z.array(intentSchema).default([]),
  contacts: z.array(contactSchema).min(1),
});

export type ContentPack = z.infer<typeof contentPackSchema>;
export type PackQuestion = z.infer<typeof questionSchema>;
export type PackChoice = z.infer<typeof choiceSchema>;
export type PackContact = z.infer<typeof contactSchema>;
