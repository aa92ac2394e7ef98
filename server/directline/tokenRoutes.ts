import type { Request, Response, Router } from 'express';
import { sendProblem } from '../problem';
import { describeIssues, startBodySchema } from './activitySchemas';
import type { DirectLineContext } from './directLineContext';
import { anonymousUser, newConversationId } from './webChatActivities';

/**
 * `POST /tokens/generate`, server side with the secret: a token bound to a new conversation and to the
 * professional in the body (the sign-in page passes who signed in). Nothing is stored until the client
 * starts the conversation with the token.
 */
function generate(ctx: DirectLineContext, req: Request, res: Response): void {
  if (!ctx.admit(req, res, { secretOnly: true })) return;
  const body = startBodySchema.safeParse(req.body);
  if (!body.success) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', describeIssues(body.error));
  const conversationId = newConversationId();
  res.json({ conversationId, ...ctx.issue(conversationId, body.data?.user ?? anonymousUser()) });
}

/** `POST /tokens/refresh`: a still-valid token buys a new one, same conversation and professional. */
async function refresh(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const caller = ctx.admit(req, res);
  if (!caller || caller.kind !== 'token' || !(await ctx.withinLimit(res, caller))) return;
  const { conversationId, user } = caller.claims;
  res.json({ conversationId, ...ctx.issue(conversationId, user) });
}

export function tokenRoutes(router: Router, ctx: DirectLineContext): void {
  router.post('/tokens/generate', (req, res) => generate(ctx, req, res));
  router.post('/tokens/refresh', (req, res) => refresh(ctx, req, res));
}
