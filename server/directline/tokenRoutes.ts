import type { Request, Response, Router } from 'express';
import { sendProblem } from '../http';
import { describeIssues, startBodySchema } from './activitySchemas';
import type { DirectLineContext } from './directLineContext';
import { anonymousUser, newConversationId } from './webChatActivities';

/**
 * `POST /tokens/generate`, server side with the secret: a token bound to a new conversation and to the
 * professional in the body (the sign-in page passes who signed in). Nothing is stored until the client
 * starts the conversation with the token.
 */
async function generate(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  if (!(await ctx.admit(req, res, { secretOnly: true }))) return;
  const body = startBodySchema.safeParse(req.body);
  if (!body.success) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', describeIssues(body.error));
  const conversationId = newConversationId();
  res.json({ conversationId, ...ctx.issue(conversationId, body.data?.user ?? anonymousUser(), ctx.newSession()) });
}

/**
 * `POST /tokens/refresh`: a still-valid token buys a new one, same conversation, professional and session;
 * never past the session's maximum age (pen test M2: refreshing every 29 minutes used to last forever).
 */
async function refresh(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const caller = await ctx.admit(req, res);
  if (!caller || caller.kind !== 'token' || !(await ctx.withinLimit(res, caller))) return;
  const { conversationId, user, session } = caller.claims;
  res.json({ conversationId, ...ctx.issue(conversationId, user, session) });
}

export function tokenRoutes(router: Router, ctx: DirectLineContext): void {
  router.post('/tokens/generate', (req, res) => generate(ctx, req, res));
  router.post('/tokens/refresh', (req, res) => refresh(ctx, req, res));
}
