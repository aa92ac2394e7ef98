import type { RequestHandler } from 'express';
import { z } from 'zod';
import { sendProblem } from './http';

/**
 * The fields every Bot Framework activity must have before the Agents SDK sees it. The SDK throws on a
 * missing type (a 500) and our bot needs the conversation id; checking here turns both into a clear 400.
 * Everything else passes through untouched (channels add fields we do not know).
 */
export const activityEnvelopeSchema = z.looseObject({
  type: z.string().min(1, 'type is required'),
  channelId: z.string().min(1, 'channelId is required'),
  serviceUrl: z.string().min(1, 'serviceUrl is required'),
  conversation: z.looseObject({ id: z.string().min(1, 'conversation.id is required') }),
  from: z.looseObject({ id: z.string().min(1) }).optional(),
});

export const validateActivityEnvelope: RequestHandler = (req, res, next) => {
  const parsed = activityEnvelopeSchema.safeParse(req.body);
  if (parsed.success) return next();
  const issue = parsed.error.issues[0];
  sendProblem(
    res,
    'SG-HTTP-BAD-REQUEST',
    `Not a Bot Framework activity: ${issue.path.join('.') || 'body'} ${issue.code === 'invalid_type' ? 'is missing or of the wrong type' : issue.message}.`,
  );
};
