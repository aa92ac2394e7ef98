import type { AdaptiveCardInvokeResponse } from '@microsoft/agents-hosting';
import { z } from 'zod';
import type { OutgoingMessage, ServiceWords, TurnInput } from '../../flows';
import type { TurnOutcome } from '../ports';
import { answeredCard, movedOnCard, unusableAnswerCard } from './answeredCard';
import { adaptiveCardContentType, answerVerb, type AdaptiveCard } from './cardElements';
import { formAnswerOf } from './formCard';

/**
 * The `value` of an `adaptiveCard/action` invoke from one of our answer buttons. Teams merges the card's
 * inputs into `data` by id, so an input's value arrives as `data.answer` (strings, "a,b" for a multi-select).
 */
const answerActionSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.literal(answerVerb),
    // Loose: a form's inputs arrive beside `answer` ("form.0.name"), gathered by `formAnswerOf`.
    data: z.looseObject({ questionId: z.string().min(1), turnId: z.number().int(), answer: z.unknown() }),
  }),
});

/** The turn input an answer button asks for, or undefined when the invoke is not one of ours. */
export function answerFromAction(invokeValue: unknown): TurnInput | undefined {
  const parsed = answerActionSchema.safeParse(invokeValue);
  if (!parsed.success || parsed.data.action.data.answer === undefined) return undefined;
  const { questionId, turnId, answer } = parsed.data.action.data;
  return { kind: 'submit', questionId, turnId, answer: formAnswerOf(parsed.data.action.data) ?? answer };
}

/** What to answer the invoke with, and which of the turn's messages to send as new activities. */
export interface CardActionResult {
  response: AdaptiveCardInvokeResponse;
  replies: OutgoingMessage[];
}

/** The invoke's answer is the clicked card, updated in place (Universal Actions "refresh" the card). */
function updatedCard(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: adaptiveCardContentType, value: card };
}

/**
 * Maps how the runtime took the answer onto the card. Accepted: the card shows the answer, the next
 * question follows. Stale (a second click, an old card): the card says it has moved on and nothing is
 * sent; the runtime kept the turn id, so the question that is live still answers. Invalid: the card stops
 * being live and the runtime's re-ask follows.
 */
export function cardActionResult(outcome: TurnOutcome, say: ServiceWords): CardActionResult {
  const submitted = outcome.submitted;
  switch (submitted?.status) {
    case 'stale':
      return { response: updatedCard(movedOnCard(say)), replies: [] };
    case 'invalid':
      return { response: updatedCard(unusableAnswerCard(submitted.question, say)), replies: outcome.messages };
    default:
      return { response: updatedCard(answeredCard(submitted?.question, submitted?.answer, say)), replies: outcome.messages };
  }
}

/** An invoke error in the shape Universal Actions expect, with an integer status for express. */
export function cardActionError(statusCode: 400 | 500, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
