import { z } from 'zod';

/** The longest range one request may aggregate: two years (a leap year included). */
export const maxRangeDays = 731;
const dayMs = 86_400_000;

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

/**
 * `?from=&to=`: inclusive local dates. Both may be left out (the last 90 days to today); one alone is
 * completed from the other. Refused: a non-date, from after to, a range over two years.
 */
export const insightsQuerySchema = z.object({ from: isoDate.optional(), to: isoDate.optional() }).transform(({ from, to }, ctx) => {
  const end = to ?? (from ? addDays(from, 89) : today());
  const start = from ?? addDays(end, -89);
  if (start > end) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  else if ((Date.parse(end) - Date.parse(start)) / dayMs + 1 > maxRangeDays)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may be at most ${maxRangeDays} days` });
  return { from: start, to: end };
});

export type InsightsQuery = z.output<typeof insightsQuerySchema>;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const today = (): string => londonDate.format(new Date());

/** Parses a query; the error names the parameter and the rule, never echoes the value. */
export function parseInsightsQuery(query: unknown): { ok: true; value: InsightsQuery } | { ok: false; detail: string } {
  const source = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const picked = { from: source.from || undefined, to: source.to || undefined };
  const parsed = insightsQuerySchema.safeParse(picked);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, detail: `${issue.path.join('.') || 'query'}: ${issue.message}` };
}
