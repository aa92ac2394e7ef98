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
  return {
    title: 'Information-sharing decision',
    facts: factSet([
      { title: 'Decision', value: context.words(`share-label-${outcome}`) ?? humanise(outcome) },
      { title: 'Reason', value: reason && humanise(reason) },
      { title: 'Lawful basis', value: lawfulBasis && (context.words('share-label-lawful-basis') ?? lawfulBasis) },
      { title: 'Share with', value: recipient && (context.choiceTitle(recipientQuestion, recipient) ?? humanise(recipient)) },
      { title: 'Reference', value: decisionId },
    ]),
  };
}

const pathwayWords: Record<ScreeningResultValue['pathway'], string> = {
  universal: 'Record it and keep them in mind',
  'early-help': 'Talk to your DSL; consider early help',
  'mash-referral': 'Refer to the MASH',
  emergency: 'Call 999',
  'adult-safeguarding': 'Adult safeguarding',
  lado: 'The LADO',
};

const urgencyWords: Record<ScreeningResultValue['urgency'], string> = {
  routine: 'Routine',
  'same-day': 'Same day',
  immediate: 'Immediate: phone now',
};

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

function screeningFacts(value: unknown): ResultSummary | undefined {
  const parsed = screeningResultSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { screeningId, category, label, pathway, urgency, indicators, rationale, raised } = parsed.data;
  return {
    title: `Exploitation screening: category ${category} (${label})`,
    facts: factSet([
      { title: 'Category', value: `${category} (${label})` },
      { title: 'Why', value: rationale },
      { title: 'Indicators', value: indicators.map((i) => `${i.label} (${i.weight})`).join('; ') || 'None confirmed' },
      { title: 'Raised', value: raised && `From category ${raised.from}: ${raised.reason}` },
      { title: 'Next step', value: pathwayWords[pathway] },
      { title: 'Urgency', value: urgencyWords[urgency] },
      { title: 'Reference', value: screeningId },
    ]),
  };
}

const summaries = new Map<string, (value: unknown, context: CardContext) => ResultSummary | undefined>([
  ['safeguarding.sharingDecision', sharingFacts],
  ['safeguarding.screeningResult', (value) => screeningFacts(value)],
  ['safeguarding.handoff', handoffFacts],
  ['safeguarding.referralFiled', (value) => referralFiledFacts(value)],
  ['safeguarding.referralUpdate', (value) => referralUpdateFacts(value)],
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
