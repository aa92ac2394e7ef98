import { z } from 'zod';
import { validatorIds } from '../validation/validators';
import { referralSectionSchema } from './referralSchema';
import { routesSectionSchema } from './routesSchema';
import { screeningSectionSchema } from './screeningSchema';
import { faqListSchema, guidanceRuleSchema } from './guidanceSchema';
import { insightsSectionSchema } from './insightsSchema';
import { emergencyLineKeys, serviceWordKeys } from './serviceWords';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case kebab-case');

export const sourceSchema = z.object({
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: z.string().min(4),
  url: z.url().optional(),
  /** The register id of the edition that replaced this one: no text shown to a professional may cite it. */
  supersededBy: id.optional(),
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
    /** Fewer characters than this is re-asked (a referral's concern summary needs a sentence). */
    minLength: z.number().int().positive().optional(),
    source: id.optional(),
    /** The flow supplies the choices when it asks (e.g. the indicators not yet confirmed), so the pack has none. */
    dynamicChoices: z.boolean().optional(),
    /** Reads the answer with a flows/validation validator; a bad answer is re-asked with the validator's reason. */
    validator: z.enum(validatorIds).optional(),
    /** The question may be skipped: its choices must include `skip` (the words on the button are the pack's). */
    optional: z.literal(true).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.optional && !q.choices?.some((c) => c.value === 'skip')) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'an optional question needs a "skip" choice' });
    }
    if (q.validator && q.expects !== 'text' && q.expects !== 'date' && q.expects !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['validator'], message: `a ${q.expects} question cannot have a validator` });
    }
    const needsChoices = (q.expects === 'choice' || q.expects === 'multichoice') && !q.dynamicChoices;
    if (needsChoices && (!q.choices || q.choices.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: `a ${q.expects} question needs choices` });
    }
    const values = (q.choices ?? []).map((c) => c.value);
    if (new Set(values).size !== values.length) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'choice values must be unique' });
    }
  });

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;
const closingTime = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** One weekly opening, in local (Europe/London) wall-clock time; `to` is exclusive and may be 24:00. */
export const openingRuleSchema = z
  .strictObject({
    days: z.array(z.enum(weekdays)).min(1),
    from: z.string().regex(clockTime, 'times are HH:MM, 24-hour'),
    to: z.string().regex(closingTime, 'times are HH:MM, 24-hour (24:00 for midnight)'),
  })
  .superRefine((rule, ctx) => {
    if (rule.from >= rule.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a rule must close after it opens (split a rule that crosses midnight in two)' });
    }
    if (new Set(rule.days).size !== rule.days.length) ctx.addIssue({ code: 'custom', path: ['days'], message: 'days must be unique' });
  });

/**
 * When a line answers. Strict objects, because a mistyped key (say `closedOnBankHoliday`) silently
 * dropped would tell a professional a line is open when nobody will pick up.
 */
export const openingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('always') }),
  z.strictObject({
    kind: z.literal('weekly'),
    rules: z.array(openingRuleSchema).min(1),
    closedOnBankHolidays: z.boolean().default(false),
    /**
     * Times nobody could confirm whether the line answers (sources disagree: 8am or 9am). In them the
     * line is neither open nor closed, and the runtime shows it with its alternative as "call either".
     */
    unconfirmed: z.array(openingRuleSchema).default([]),
  }),
  /** Open exactly when the named contact is closed (an out-of-hours team covering a front door). */
  z.strictObject({ kind: z.literal('when-closed'), contact: id }),
]);

export const contactSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** The name as it reads inside a sentence ("the police non-emergency line"); `name` when absent. */
    callName: z.string().min(1).optional(),
    /** A phone number; a contact reached only online (CEOP) has `url` instead, never a made-up number. */
    number: z.string().min(1).optional(),
    /** A web form or page (CEOP's online report). */
    url: z.url().optional(),
    /** Where a written referral or form goes (the LADO's form). */
    email: z.email().optional(),
    hours: z.string().min(1),
    for: z.string().min(1),
    /** How the line works, said every time it is named ("an answerphone: they call you back"). */
    callNote: z.string().min(1).optional(),
    /** The contact to use while this one is closed (or when nobody can say whether it is open). */
    alternative: id.optional(),
    /** Shown with the emergency interrupt. */
    emergency: z.boolean().default(false),
    /** Machine-readable opening hours; `hours` stays the words a professional reads. */
    opening: openingSchema.optional(),
    source: id.optional(),
    notes: z.string().optional(),
  })
  .refine((c) => c.number || c.url, { path: ['number'], message: 'a contact needs a number or a url' });

/** A group of the "Who can I call?" answer; group ids start with a letter so they keep their written order. */
export const adviceGroupSchema = z.strictObject({
  label: z.string().min(1),
  contacts: z.array(id).min(1),
});

/** A record whose keys must pass `key`; checked here so the reason, not zod's "Invalid key", reaches the lead. */
function keyedBy<T extends z.ZodType>(key: z.ZodType<string>, message: string, value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const k of Object.keys(record)) if (!key.safeParse(k).success) ctx.addIssue({ code: 'custom', path: [k], message });
  });
}

/** Message keys the runtime itself relies on; a pack without them must not load. */
export const requiredMessageKeys = [
  'welcome',
  'welcome-back',
  'help',
  'reask',
  'message-too-long',
  'emergency',
  'restarted',
  'back-at-start',
  'went-back',
  'moved-on',
  'version-restart',
  'advice-lines',
] as const;

/** Message keys the "Who can I call?" answer uses; required only in a pack that has `adviceLines`. */
export const adviceMessageKeys = [
  'advice-now',
  'advice-when',
  'advice-open',
  'advice-always',
  'advice-closed',
  'advice-closed-no-opening',
  'advice-either',
  'advice-online',
  'advice-hours',
  'advice-note',
] as const;

/** Message keys that fill the `{{call-now}}` and `{{call:ID}}` tokens; required in a pack whose texts use them. */
export const callMessageKeys = [
  'advice-when',
  'call-line',
  'call-line-note',
  'call-always',
  'call-online',
  'call-hours',
  'call-open',
  'call-open-alternative',
  'call-closed-alternative',
  'call-closed',
  'call-either',
] as const;

/** Shown when the pack's `reviewedOn` is more than 12 months old; optional (a pack without it shows nothing extra). */
export const reviewDueMessageKey = 'guidance-review-due';

const messagesSchema = z.record(id, textWithSource).superRefine((messages, ctx) => {
  for (const key of requiredMessageKeys) {
    if (!messages[key]) ctx.addIssue({ code: 'custom', path: [key], message: `message "${key}" is required` });
  }
  // The channel and server code ask the pack for these; without one a professional would read a key.
  for (const key of serviceWordKeys) {
    if (!messages[key]) ctx.addIssue({ code: 'custom', path: [key], message: `message "${key}" is required: the service says it (flows/content/serviceWords.ts)` });
  }
  for (const key of emergencyLineKeys) {
    if (messages[key] && !messages[key].text.includes('999')) ctx.addIssue({ code: 'custom', path: [key, 'text'], message: `message "${key}" must keep its 999 line` });
  }
});

export const intentSchema = z.object({
  id,
  /** Lower-case words or phrases; any one found in free text (as whole words) signals the intent. */
  phrases: z.array(z.string().min(2)).min(1),
});

/**
 * A greeting or a thank-you typed as the whole message ("hello", "good morning", "thanks!"). It is
 * answered politely and never read as an answer: a safety question must not be answered by "hi".
 * Its message keys are checked at load (`greetingProblems`).
 */
export const greetingSchema = z.object({
  id,
  /** Lower-case phrases; the whole message, punctuation aside, must be one of them. */
  phrases: z.array(z.string().min(2)).min(1),
  /** Message key said at the menu, before the menu is asked again. */
  reply: id,
  /** Message key said part-way through a flow, before the same question is asked again. */
  midQuestion: id,
});

const isEmptyObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

export const contentPackSchema = z.object({
  id,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'version is semver (major.minor.patch)'),
  /** The day a named safeguarding lead last reviewed the whole pack (`npm run pack:export -- --sign-off`). */
  reviewedOn: z.iso.date('reviewedOn is a YYYY-MM-DD date').optional(),
  /** Who signed the pack off ("Name, role"); production refuses to start while it is empty. */
  reviewedBy: z.string().default(''),
  /** The contact `{{call-now}}` names: the children's front door, whose `alternative` covers out of hours. */
  callNow: id.optional(),
  locale: z.string().min(2),
  title: z.string().min(1),
  notes: z.array(z.string()).default([]),
  sources: z.record(id, sourceSchema),
  messages: messagesSchema,
  questions: z.record(id, questionSchema),
  intents: z.array(intentSchema).default([]),
  greetings: z.array(greetingSchema).default([]),
  contacts: z.array(contactSchema).min(1),
  /** Rules of practice that decisions cite by id (the golden rules of information sharing). */
  rules: z.record(id, guidanceRuleSchema).default({}),
  /** Short answers to common questions, given at any question and then the question asked again. */
  faqs: faqListSchema.default([]),
  /** Bank holidays (YYYY-MM-DD, local date) to their names; lines `closedOnBankHolidays` are shut on them. */
  bankHolidays: keyedBy(z.iso.date(), 'dates are YYYY-MM-DD and real calendar dates', z.string().min(1)).optional(),
  /** Who to call now: groups in written order, each naming contacts that have `opening` hours. */
  adviceLines: keyedBy(z.string().regex(/^[a-z][a-z0-9-]*$/), 'group ids are kebab-case and start with a letter', adviceGroupSchema).optional(),
  /** Exploitation screening (issue 4). Merged like a keyed section, so a pack without one arrives as `{}`. */
  screening: z.preprocess((value) => (isEmptyObject(value) ? undefined : value), screeningSectionSchema.optional()),
  /** Filing a referral and sharing intelligence (issue 5): the concern categories and the referral's fixed words. */
  referral: z.preprocess((value) => (isEmptyObject(value) ? undefined : value), referralSectionSchema.optional()),
  /** Partnership insight (issue 11): how organisation names map to the reported organisation types. */
  insights: z.preprocess((value) => (isEmptyObject(value) ? undefined : value), insightsSectionSchema.optional()),
  /** The routes of the order of evaluation (issue 17): child-protection urgency rule, override fact words. */
  routes: z.preprocess((value) => (isEmptyObject(value) ? undefined : value), routesSectionSchema.optional()),
});

export type ContentPack = z.infer<typeof contentPackSchema>;
export type PackQuestion = z.infer<typeof questionSchema>;
export type PackChoice = z.infer<typeof choiceSchema>;
export type PackGreeting = z.infer<typeof greetingSchema>;
export type PackContact = z.infer<typeof contactSchema>;
export type PackOpening = z.infer<typeof openingSchema>;
export type PackOpeningRule = z.infer<typeof openingRuleSchema>;
export type Weekday = (typeof weekdays)[number];
