import { z } from 'zod';
import type { OutgoingMessage, ScreeningResultValue } from '../../flows';
import { adaptiveCard, factSet, heading, paragraphs, type AdaptiveCard, type ResultSummary } from './cardElements';
import { humanise, type CardContext } from './cardWords';
import { handoffFacts, referralFiledFacts, referralUpdateFacts } from './handoffFacts';

/** The sharing flow's recipient question: its id is part of the contract (flows/machines/sharing). */
const recipientQuestion = 'share-recipient';

const sharingDecisionSchema = z.object({
  decisionId: z.string(),
  outcome: z.string(),
  reason: z.string().optional(),
  lawfulBasis: z.string().optional(),
  recipient: z.string().optional(),
});

function sharingFacts(value: unknown, context: CardContext): ResultSummary | undefined {
  const parsed = sharingDecisionSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { decisionId, outcome, reason, lawfulBasis, recipient } = parsed.data;
  const { say } = context;
  return {
    title: say('result-sharing-title'),
    facts: factSet([
      { title: say('result-label-decision'), value: context.words(`share-label-${outcome}`) ?? humanise(outcome) },
      { title: say('result-label-reason'), value: reason && humanise(reason) },
      { title: say('result-label-lawful-basis'), value: lawfulBasis && (context.words('share-label-lawful-basis') ?? lawfulBasis) },
      { title: say('result-label-share-with'), value: recipient && (context.choiceTitle(recipientQuestion, recipient) ?? humanise(recipient)) },
      { title: say('result-label-reference'), value: decisionId },
    ]),
  };
}

/** Next step and urgency in the pack's words: one key per value, so a new pathway will not compile without its words. */
const pathwayKey = (pathway: ScreeningResultValue['pathway']) => `result-pathway-${pathway}` as const;
const urgencyKey = (urgency: ScreeningResultValue['urgency']) => `result-urgency-${urgency}` as const;

const screeningResultSchema = z.object({
  screeningId: z.string(),
  category: z.number(),
  label: z.string(),
  pathway: z.enum(['universal', 'early-help', 'mash-referral', 'emergency', 'adult-safeguarding', 'lado']),
  urgency: z.enum(['routine', 'same-day', 'immediate']),
  indicators: z.array(z.object({ label: z.string(), weight: z.string() })),
  rationale: z.string(),
  raised: z.object({ from: z.number(), reason: z.string() }).optional(),
});

function screeningFacts(value: unknown, { say }: CardContext): ResultSummary | undefined {
  const parsed = screeningResultSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { screeningId, category, label, pathway, urgency, indicators, rationale, raised } = parsed.data;
  return {
    title: say('result-screening-title', { category, label }),
    facts: factSet([
      { title: say('result-label-category'), value: `${category} (${label})` },
      { title: say('result-label-why'), value: rationale },
      { title: say('result-label-indicators'), value: indicators.map((i) => `${i.label} (${i.weight})`).join('; ') || say('result-indicators-none') },
      { title: say('result-label-raised'), value: raised && say('result-raised', { from: raised.from, reason: raised.reason }) },
      { title: say('result-label-next-step'), value: say(pathwayKey(pathway)) },
      { title: say('result-label-urgency'), value: say(urgencyKey(urgency)) },
      { title: say('result-label-reference'), value: screeningId },
    ]),
  };
}

const summaries = new Map<string, (value: unknown, context: CardContext) => ResultSummary | undefined>([
  ['safeguarding.sharingDecision', sharingFacts],
  ['safeguarding.screeningResult', screeningFacts],
  ['safeguarding.handoff', handoffFacts],
  ['safeguarding.referralFiled', referralFiledFacts],
  ['safeguarding.referralUpdate', referralUpdateFacts],
]);

/** Whether a message is a result (conversation protocol: one of the result `value.type`s). */
export function isResult(message: OutgoingMessage): boolean {
  const type = message.value?.type;
  return typeof type === 'string' && summaries.has(type);
}

/**
 * A result message as a card: its title, a FactSet of the fields that matter, then the message text
 * unchanged. A value this code cannot read still gets a card with its text, never a lost message.
 */
export function resultCard(message: OutgoingMessage, context: CardContext): AdaptiveCard | undefined {
  const type = message.value?.type;
  const summarise = typeof type === 'string' ? summaries.get(type) : undefined;
  if (!summarise && message.card) {
    return adaptiveCard([heading(message.card.title), factSet(message.card.facts), ...paragraphs(message.text)], { fallbackText: message.text });
  }
  if (!summarise) return undefined;
  const summary = summarise(message.value, context);
  const head = summary ? [heading(summary.title), ...(summary.facts.facts.length ? [summary.facts] : [])] : [];
  return adaptiveCard([...head, ...paragraphs(message.text)], { fallbackText: message.text });
}
