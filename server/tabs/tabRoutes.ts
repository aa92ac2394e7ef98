import { resolve } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ServiceWords } from '../../flows';
import type { WebSessions } from '../auth';
import type { Logger } from '../logger';
import { sameOrigin, sendProblem } from '../http';
import { notificationsFor, referralRowsFor, trackingsFor, type NotificationSources, type ReferralSources } from './referralRows';
import { tabCss, tabPageHtml } from './tabPage';
import { createSsoRequests } from './ssoRequests';
import { tabHeaders } from './tabHeaders';
import type { TeamsSsoVerifier } from './teamsSso';
import type { ProfessionalIdentity } from '../../integrations';

/** The MASH's and coordinators' questions and the unfinished referrals (issue 20 items 2 and 3), by session. */
export interface QuestionSources {
  listFor(asker: { id: string }): Promise<unknown[]>;
  answer(asker: { id: string }, kind: 'mash' | 'coordinator', id: string, text: string): Promise<{ ok: true; message: { text: string } } | { ok: false; reason: string }>;
  drafts(channelId: string, userId: string): Promise<unknown[]>;
}

export interface TabRoutesOptions {
  sessions: WebSessions;
  /** The pack's words for the page and its script. */
  words: ServiceWords;
  sources: ReferralSources;
  /** Updates that could not reach the professional's chat, shown above the list. */
  notifications?: NotificationSources;
  webChatChannelId: string;
  /** Absent: Teams SSO is off (TEAMS_SSO_TENANT_IDS unset) and the tab uses the web sign-in only. */
  sso?: TeamsSsoVerifier;
  logger: Logger;
  /** Questions to answer and drafts to continue; absent in tests of the list alone. */
  questions?: QuestionSources;
  /** Where the bundled tab script is (dist/tabs). */
  bundleDir?: string;
}

const ssoBody = z.object({ token: z.string().min(20).max(16_384) }).strict();
const answerBody = z.object({ kind: z.enum(['mash', 'coordinator']), id: z.string().min(1).max(300), text: z.string().trim().min(1).max(4000) }).strict();

function answerFor(questions: QuestionSources, user: ProfessionalIdentity, answer: z.infer<typeof answerBody>) {
  return questions.answer(user, answer.kind, answer.id, answer.text);
}

/** Static parts: the page shell, its styles and its bundled script. */
function addPage(router: Router, headers: RequestHandler, dir: string, words: ServiceWords): void {
  router.get('/tabs/referrals', headers, (_req, res) => {
    res.type('html').send(tabPageHtml(words));
  });
  router.get('/tabs/tab.css', headers, (_req, res) => {
    res.type('text/css').set('Cache-Control', 'no-cache').send(tabCss);
  });
  router.get('/tabs/tab.js', headers, (_req, res, next) => {
    res.sendFile('tab.js', { root: dir, headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next();
    });
  });
}

/** Teams SSO token → the shared web session; a refused token logs its reason code only. */
function ssoHandler(sessions: WebSessions, sso: TeamsSsoVerifier | undefined, logger: Logger): RequestHandler {
  return async (req, res) => {
    if (!sso) return sendProblem(res, 'SG-AUTH-SSO-OFF', 'Use the web sign-in.');
    const body = ssoBody.safeParse(req.body);
    if (!body.success) return sendProblem(res, 'SG-AUTH-SSO-INVALID', 'The request must be JSON with a token.');
    const result = await sso(body.data.token);
    if (!result.ok) {
      logger.info({ reason: result.reason }, 'tab: SSO token refused');
      return sendProblem(res, 'SG-AUTH-SSO-INVALID', `The Teams sign-in token was refused (${result.reason}).`);
    }
    sessions.start(res, result.user);
    res.json({ user: { name: result.user.name ?? null, roles: result.user.roles ?? [] } });
  };
}

/**
 * The "My referrals" Teams tab: page, script, styles, the list API and the SSO exchange. Inside Teams a
 * SameSite=Strict cookie is not sent to a framed page, so the API also takes the SSO token as a bearer.
 */
export function createTabRoutes({ sessions, words, sources, notifications, questions, webChatChannelId, sso, logger, bundleDir }: TabRoutesOptions): Router {
  const router = Router();
  const headers = tabHeaders();
  addPage(router, headers, bundleDir ?? resolve(__dirname, '..', '..', 'tabs'), words);

  const { userOf } = createSsoRequests({ sessions, sso, logger, area: 'tab' });

  router.get('/api/my-referrals', headers, async (req, res) => {
    const { user } = await userOf(req);
    if (!user) return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
    const [referrals, missed, asked, drafts] = await Promise.all([
      referralRowsFor(user, sources, webChatChannelId),
      notifications ? notificationsFor(user, notifications, webChatChannelId) : [],
      questions ? questions.listFor(user) : [],
      questions ? questions.drafts(webChatChannelId, user.id) : [],
    ]);
    res.json({ user: { name: user.name ?? null }, notifications: missed, referrals, questions: asked, drafts });
  });
  // The referrer's downloadable copy of the details a version 1 MASH could not take (issue 21): their own referrals only.
  router.get('/api/my-referrals/:clientReference/kept.txt', headers, async (req, res) => {
    const { user } = await userOf(req);
    if (!user) return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
    const clientReference = String(req.params.clientReference);
    const tracking = (await trackingsFor(user, sources, webChatChannelId)).find((t) => t.clientReference === clientReference);
    const copy = tracking ? sources.keptCopy?.(tracking) : undefined;
    if (!copy) return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'No details are kept for that referral.');
    res
      .type('text/plain')
      .set('Content-Disposition', `attachment; filename="${clientReference.replace(/[^A-Za-z0-9._-]/g, '')}-details.txt"`)
      .send(copy);
  });
  // An answer from the tab (issue 20 item 3): to the MASH through the outbox, or to the coordinator's handoff.
  router.post('/api/my-referrals/answers', headers, sameOrigin, async (req, res) => {
    const { user } = await userOf(req);
    if (!user) return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
    const body = answerBody.safeParse(req.body);
    if (!body.success || !questions) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', 'The answer must be JSON with kind, id and text.');
    const outcome = await answerFor(questions, user, body.data);
    if (!outcome.ok) return sendProblem(res, outcome.reason === 'answered' ? 'SG-HTTP-CONFLICT' : 'SG-HTTP-NOT-FOUND', `The question cannot be answered here (${outcome.reason}).`);
    res.json({ status: 'sent', text: outcome.message.text });
  });
  // Same-origin like every other post (pen test L6): the tab's script calls it from our own page in the Teams frame.
  router.post('/tabs/sso', headers, sameOrigin, ssoHandler(sessions, sso, logger));
  return router;
}
