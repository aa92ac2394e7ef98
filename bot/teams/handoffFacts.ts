import { z } from 'zod';
import { factSet, type ResultSummary } from './cardElements';
import { humanise, type CardContext } from './cardWords';

/** Advice lines keep London opening hours (flows/advice), so their next opening reads in London time. */
const serviceTimeZone = 'Europe/London';

/**
 * "Monday 12 January at 08:00". Formatted here because Teams does not support the Adaptive Card
 * DATE()/TIME() functions (cards-format#mobile-and-desktop-differences-for-adaptive-cards).
 */
function opensAt(iso: string, locale: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat(locale, { timeZone: serviceTimeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month} at ${parts.hour}:${parts.minute}`;
}

const adviceServiceSchema = z.object({ name: z.string(), number: z.string(), openNow: z.boolean(), nextOpen: z.string().nullable().optional(), status: z.string().optional(), hours: z.string().optional() });
const emergencyServiceSchema = z.object({ name: z.string(), number: z.string(), hours: z.string().optional() });

const handoffSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('advice-line'), services: z.array(adviceServiceSchema) }),
  z.object({ kind: z.literal('emergency'), services: z.array(emergencyServiceSchema) }),
  z.object({ kind: z.literal('lado') }),
]);

function adviceLine(service: z.infer<typeof adviceServiceSchema>, locale: string): string {
  if (service.openNow) return `${service.number} · open now`;
  // Unconfirmed hours or past the bank-holiday table: never claim "closed" (flows/advice/openingHours.ts).
  if (service.status === 'unknown') return `${service.number} · may be answering: call this or the other line`;
  if (service.status === 'see-hours') return service.hours ? `${service.number} · ${service.hours}` : service.number;
  return service.nextOpen ? `${service.number} · closed, opens ${opensAt(service.nextOpen, locale)}` : `${service.number} · closed`;
}

/** Who to call: each service with its number and whether it answers now, or when it opens. */
export function handoffFacts(value: unknown, context: CardContext): ResultSummary | undefined {
  const parsed = handoffSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const handoff = parsed.data;
  switch (handoff.kind) {
    case 'advice-line':
      return { title: 'Who you can call now', facts: factSet(handoff.services.map((s) => ({ title: s.name, value: adviceLine(s, context.locale) }))) };
    case 'emergency':
      return {
        title: 'Immediate danger: call 999',
        facts: factSet(handoff.services.map((s) => ({ title: s.name, value: s.hours ? `${s.number} (${s.hours})` : s.number }))),
      };
    case 'lado':
      return { title: 'A concern about someone who works with children', facts: factSet([{ title: 'Refer to', value: 'The LADO (Local Authority Designated Officer)' }]) };
  }
}

/** The referral contract (issue 5): `{ clientReference, status, reference? }`, all read defensively. */
const referralFiledSchema = z.object({ status: z.string().optional(), reference: z.string().optional(), clientReference: z.string().optional() });

export function referralFiledFacts(value: unknown): ResultSummary | undefined {
  const parsed = referralFiledSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { status, reference, clientReference } = parsed.data;
  return {
    title: 'Referral to the MASH',
    facts: factSet([
      { title: 'Status', value: status && humanise(status) },
      { title: 'MASH reference', value: reference },
      { title: 'Our reference', value: clientReference },
    ]),
  };
}

const decisionWords = new Map([
  ['nfa', 'No further action'],
  ['early-help', 'Early help'],
  ['assessment', 'Assessment'],
  ['strategy-discussion', 'Strategy discussion'],
  ['police', 'Police'],
]);

/** A MASH status event: `{ reference, event, decision?: { outcome, note? } }`. */
const referralUpdateSchema = z.object({
  reference: z.string().optional(),
  event: z.string().optional(),
  decision: z.object({ outcome: z.string(), note: z.string().optional() }).optional(),
});

export function referralUpdateFacts(value: unknown): ResultSummary | undefined {
  const parsed = referralUpdateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { reference, event, decision } = parsed.data;
  return {
    title: 'Referral update',
    facts: factSet([
      { title: 'MASH reference', value: reference },
      { title: 'Update', value: event && humanise(event.replace(/^referral\./, '')) },
      { title: 'Decision', value: decision && (decisionWords.get(decision.outcome) ?? humanise(decision.outcome)) },
      { title: 'Note', value: decision?.note },
    ]),
  };
}
