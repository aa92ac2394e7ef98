import { z } from 'zod';
import { decisionWords, referralOutcome } from '../../flows';
import { factSet, type ResultSummary } from './cardElements';
import { humanise, type CardContext } from './cardWords';

/** Advice lines keep London opening hours (flows/advice), so their next opening reads in London time. */
const serviceTimeZone = 'Europe/London';

/**
 * "Monday 12 January at 08:00". Formatted here because Teams does not support the Adaptive Card
 * DATE()/TIME() functions (cards-format#mobile-and-desktop-differences-for-adaptive-cards).
 */
function opensAt(iso: string, { locale, say }: CardContext): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat(locale, {
    timeZone: serviceTimeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return say('result-opens-at', { weekday: parts.weekday, day: parts.day, month: parts.month, time: `${parts.hour}:${parts.minute}` });
}

const adviceServiceSchema = z.object({
  name: z.string(),
  number: z.string(),
  openNow: z.boolean(),
  nextOpen: z.string().nullable().optional(),
  status: z.string().optional(),
  hours: z.string().optional(),
});
const emergencyServiceSchema = z.object({ name: z.string(), number: z.string(), hours: z.string().optional() });

const handoffSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('advice-line'), services: z.array(adviceServiceSchema) }),
  z.object({ kind: z.literal('emergency'), services: z.array(emergencyServiceSchema) }),
  z.object({ kind: z.literal('lado') }),
]);

function adviceLine(service: z.infer<typeof adviceServiceSchema>, context: CardContext): string {
  const { say } = context;
  const { number } = service;
  if (service.openNow) return say('result-advice-open', { number });
  // Unconfirmed hours or past the bank-holiday table: never claim "closed" (flows/advice/openingHours.ts).
  if (service.status === 'unknown') return say('result-advice-unknown', { number });
  if (service.status === 'see-hours') return service.hours ? `${number} · ${service.hours}` : number;
  return service.nextOpen ? say('result-advice-opens', { number, opensAt: opensAt(service.nextOpen, context) }) : say('result-advice-closed', { number });
}

/** Who to call: each service with its number and whether it answers now, or when it opens. */
export function handoffFacts(value: unknown, context: CardContext): ResultSummary | undefined {
  const parsed = handoffSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const handoff = parsed.data;
  const { say } = context;
  switch (handoff.kind) {
    case 'advice-line':
      return { title: say('result-advice-title'), facts: factSet(handoff.services.map((s) => ({ title: s.name, value: adviceLine(s, context) }))) };
    case 'emergency':
      return {
        title: say('result-emergency-title'),
        facts: factSet(handoff.services.map((s) => ({ title: s.name, value: s.hours ? `${s.number} (${s.hours})` : s.number }))),
      };
    case 'lado':
      return { title: say('result-lado-title'), facts: factSet([{ title: say('result-label-refer-to'), value: say('result-lado') }]) };
  }
}

/** The referral contract (issue 5): `{ clientReference, status, reference? }`, all read defensively. */
const referralFiledSchema = z.object({ status: z.string().optional(), reference: z.string().optional(), clientReference: z.string().optional() });

export function referralFiledFacts(value: unknown, { say }: CardContext): ResultSummary | undefined {
  const parsed = referralFiledSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { status, reference, clientReference } = parsed.data;
  return {
    title: say('result-referral-title'),
    facts: factSet([
      // The same plain words as the web chat's card ("Your referral has reached the MASH"), never the status code.
      { title: say('result-label-status'), value: status && referralOutcome(say, { type: 'safeguarding.referralFiled', status }) },
      { title: say('result-label-mash-reference'), value: reference },
      { title: say('result-label-our-reference'), value: clientReference },
    ]),
  };
}

/** A MASH status event: `{ reference, event, decision?: { outcome, note? } }`. */
const referralUpdateSchema = z.object({
  reference: z.string().optional(),
  event: z.string().optional(),
  decision: z.object({ outcome: z.string(), note: z.string().optional() }).optional(),
});

export function referralUpdateFacts(value: unknown, { say }: CardContext): ResultSummary | undefined {
  const parsed = referralUpdateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { reference, event, decision } = parsed.data;
  return {
    title: say('result-update-title'),
    facts: factSet([
      { title: say('result-label-mash-reference'), value: reference },
      { title: say('result-label-update'), value: event && referralOutcome(say, { type: 'safeguarding.referralUpdate', event, decision }) },
      { title: say('result-label-decision'), value: decision && (decisionWords(say, decision.outcome, 'card') ?? humanise(decision.outcome)) },
      { title: say('result-label-note'), value: decision?.note },
    ]),
  };
}
