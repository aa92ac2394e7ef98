import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { isDomainError } from '../../flows';
import { storageKeyOf, type ProfessionalIdentity } from '../../integrations';
import { sendProblem } from '../http';
import { describeIssues, postedActivitySchema, startBodySchema } from './activitySchemas';
import type { DirectLineContext } from './directLineContext';
import type { TokenSession } from './tokens';
import { sendDirectLineProblem } from './directLineProblems';
import { anonymousUser, newConversationId, userActivity } from './webChatActivities';

/** A watermark from the query; anything unusable means "from the start" rather than an error. */
function watermarkOf(req: Request): number {
  const value = Number.parseInt(typeof req.query.watermark === 'string' ? req.query.watermark : '', 10);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function storeFailed(ctx: DirectLineContext, res: Response, conversationId: string, error: unknown): void {
  if (isDomainError(error) && error.code === 'SG-HTTP-NOT-FOUND') {
    return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'This conversation has ended or expired. Please start a new one.');
  }
  ctx.logger.warn({ err: error, conversation: storageKeyOf(conversationId) }, 'transcript store failed');
  sendProblem(res, 'SG-STORE-UNAVAILABLE', 'Please try again in a moment.');
}

/** `POST /conversations`: with a token, start (or resume) its conversation; with the secret, a new one. */
async function start(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const caller = await ctx.admit(req, res, { allowSecret: true });
  if (!caller || !(await ctx.withinLimit(res, caller))) return;
  let conversationId: string;
  let user: ProfessionalIdentity;
  let session: TokenSession;
  if (caller.kind === 'token') {
    ({ conversationId, user, session } = caller.claims);
  } else {
    session = ctx.newSession();
    // The official client posts `{ user: { id: undefined } }` unless told a user id: no one, not an error.
    const raw = req.body as { user?: { id?: unknown } } | undefined;
    const body = startBodySchema.safeParse(raw?.user?.id === undefined ? undefined : raw);
    if (!body.success) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', describeIssues(body.error));
    conversationId = newConversationId();
    user = body.data?.user ?? anonymousUser();
  }
  let created: boolean;
  try {
    created = await ctx.transcripts.create({ conversationId, user, createdAt: ctx.now().toISOString() });
  } catch (error) {
    return storeFailed(ctx, res, conversationId, error);
  }
  // The welcome is in the transcript before the client opens its stream, which replays it.
  if (created) await ctx.runTurn('join', conversationId, user);
  res.status(created ? 201 : 200).json({ conversationId, ...ctx.issue(conversationId, user, session), streamUrl: ctx.streamUrl(req, conversationId, user, session) });
}

/** `GET /conversations/:id?watermark=`: the official client's reconnect, a fresh token and stream URL. */
async function reconnect(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const conversationId = String(req.params.id);
  const caller = await ctx.admit(req, res, { conversationId });
  if (!caller || caller.kind !== 'token' || !(await ctx.withinLimit(res, caller, 'poll'))) return;
  try {
    if (!(await ctx.transcripts.meta(conversationId))) return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'This conversation has ended or expired.');
  } catch (error) {
    return storeFailed(ctx, res, conversationId, error);
  }
  const { user, session } = caller.claims;
  res.json({ conversationId, ...ctx.issue(conversationId, user, session), streamUrl: ctx.streamUrl(req, conversationId, user, session, watermarkOf(req)) });
}

/** `POST /conversations/:id/activities`: record (echo) the activity, run the bot, answer with its id. */
async function post(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const conversationId = String(req.params.id);
  const caller = await ctx.admit(req, res, { conversationId });
  if (!caller || caller.kind !== 'token' || !(await ctx.withinLimit(res, caller))) return;
  if (ctx.closing()) return sendProblem(res, 'SG-SHUTTING-DOWN', 'Please send that again in a moment.');
  const parsed = postedActivitySchema.safeParse(req.body);
  if (!parsed.success) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', describeIssues(parsed.error));
  if (parsed.data.attachments?.length) return sendDirectLineProblem(res, 'SG-DL-UNSUPPORTED-MEDIA', ctx.words('files-refused'));
  // Typing from the person is not worth storing and the bot does nothing with it.
  if (parsed.data.type === 'typing') return void res.json({ id: `typing-${randomBytes(6).toString('hex')}` });
  const { user } = caller.claims;
  const activity = userActivity(parsed.data, { conversationId, user, bot: ctx.bot, now: ctx.now() });
  let echoed;
  try {
    [echoed] = await ctx.transcripts.append(conversationId, [activity]);
  } catch (error) {
    return storeFailed(ctx, res, conversationId, error);
  }
  ctx.appended(conversationId, [echoed]);
  await ctx.runTurn(echoed.activity, conversationId, user);
  res.json({ id: echoed.activity.id });
}

/**
 * `GET /conversations/:id/activities?watermark=`: polling. Never a 5xx or a 429: the official client
 * stops polling for good on either, so a store fault is an empty page and the next poll tries again, and
 * a caller over its polling limit (pen test M1) gets an empty page with `Retry-After` without the store
 * being read or anything decrypted.
 */
async function poll(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const conversationId = String(req.params.id);
  const caller = await ctx.admit(req, res, { conversationId });
  if (!caller) return;
  const after = watermarkOf(req);
  if (!(await ctx.withinLimit(res, caller, 'poll', false))) return void res.json({ activities: [], watermark: String(after) });
  try {
    const entries = await ctx.transcripts.read(conversationId, after);
    if (!entries) return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'This conversation has ended or expired.');
    const watermark = entries.length ? entries[entries.length - 1].seq : after;
    res.json({ activities: entries.map((e) => e.activity), watermark: String(watermark) });
  } catch (error) {
    ctx.logger.warn({ err: error, conversation: storageKeyOf(conversationId) }, 'transcript read failed: empty poll');
    res.json({ activities: [], watermark: String(after) });
  }
}

/** `POST /conversations/:id/upload`: refused politely; the bot takes no files. */
async function upload(ctx: DirectLineContext, req: Request, res: Response): Promise<void> {
  const conversationId = String(req.params.id);
  const caller = await ctx.admit(req, res, { conversationId });
  if (!caller || !(await ctx.withinLimit(res, caller))) return;
  sendDirectLineProblem(res, 'SG-DL-UNSUPPORTED-MEDIA', ctx.words('files-refused'));
}

export function conversationRoutes(router: Router, ctx: DirectLineContext): void {
  router.post('/conversations', (req, res) => start(ctx, req, res));
  router.get('/conversations/:id', (req, res) => reconnect(ctx, req, res));
  router.post('/conversations/:id/activities', (req, res) => post(ctx, req, res));
  router.get('/conversations/:id/activities', (req, res) => poll(ctx, req, res));
  router.post('/conversations/:id/upload', (req, res) => upload(ctx, req, res));
}
