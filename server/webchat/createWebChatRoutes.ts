import { resolve } from 'node:path';
import express, { type Response, type Router } from 'express';
import type { ServiceWords } from '../../flows';
import type { ProfessionalIdentity } from '../../integrations';
import type { TokenSession } from '../directline';
import type { Logger } from '../logger';
import { chatPage, signInPage } from './pages';
import { securityHeaders } from './securityHeaders';
import { safeReturnTo, type WebSessions } from '../auth';
import { sameOrigin, sendProblem } from '../http';
import { parseSignIn } from './signInForm';

export interface WebChatRoutesOptions {
  /** `directLine.issueToken`: a token bound to the conversation, the signed-in professional and their session. */
  issueToken: (user: ProfessionalIdentity, session: TokenSession, conversationId: string) => { token: string; conversationId: string; expires_in: number };
  /** Web chat continuity: the professional's current conversation, or a new one bound to them. */
  conversations: { currentFor(user: ProfessionalIdentity): Promise<{ conversationId: string; resumed: boolean }> };
  /** RETENTION_CONVERSATION_HOURS: how long a conversation is kept after its last message, which the page says. */
  keptHours: number;
  logger: Logger;
  /** The pack's words for the pages. */
  words: ServiceWords;
  partnershipName: string;
  /** The browser session shared with the tab, the coordinator board and the insight pages. */
  sessions: WebSessions;
  /** The local sign-in form (WEBCHAT_AUTH=local); with OIDC the provider's router serves `/signin`. */
  localSignIn: boolean;
  /** Where `npm run build` puts the bundle; the default is dist/webchat beside the compiled server. */
  bundleDir?: string;
}

const signedOut = (res: Response) => sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then reload the chat.');

/**
 * The web chat's pages: local sign-in (WEBCHAT_AUTH=local; OIDC is `createOidcSignIn`), the chat page, the Direct Line token for the
 * signed-in professional, and the bundled Web Chat client. Mount at `/`.
 */
export function createWebChatRoutes(options: WebChatRoutesOptions): Router {
  const { issueToken, conversations, keptHours, partnershipName, sessions, words } = options;
  const bundleDir = options.bundleDir ?? resolve(__dirname, '..', '..', 'webchat');
  const router = express.Router();

  router.get('/', securityHeaders, async (req, res) => {
    if (!(await sessions.current(req))) return res.redirect(303, '/signin');
    res.type('html').send(chatPage(words, partnershipName, keptHours));
  });

  if (options.localSignIn) addLocalSignIn(router, options);

  router.post('/signout', securityHeaders, sameOrigin, async (req, res) => {
    await sessions.end(req, res);
    res.redirect(303, '/signin');
  });

  router.post('/webchat/token', securityHeaders, sameOrigin, async (req, res) => {
    const session = await sessions.session(req);
    if (!session) return signedOut(res);
    const { user } = session;
    // Continuity (issue 20 item 1): the conversation is the one bound to this sign-in's user id, never one the browser names.
    let current: { conversationId: string; resumed: boolean };
    try {
      current = await conversations.currentFor(user);
    } catch (error) {
      options.logger.warn({ err: error }, 'web chat conversation not found or bound');
      return sendProblem(res, 'SG-STORE-UNAVAILABLE', 'Please reload the chat in a moment.');
    }
    // The token carries the session (id and sign-in time): it dies at sign-out and at the maximum age (pen test M2).
    const { token, conversationId, expires_in } = issueToken(user, { sid: session.sid, authTime: session.authTime }, current.conversationId);
    res.json({ token, conversationId, resumed: current.resumed, expires_in, userId: user.id, userName: user.name });
  });

  router.get('/webchat/app.js', securityHeaders, (_req, res, next) => {
    // no-cache (revalidate by ETag): a new deployment's bundle is picked up at once.
    res.sendFile('app.js', { root: bundleDir, headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next();
    });
  });

  return router;
}

/** Local sign-in trusts what is typed: development and testing only (never mounted in production). */
function addLocalSignIn(router: Router, { sessions, logger, partnershipName, words }: WebChatRoutesOptions): void {
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  router.get('/signin', securityHeaders, (req, res) => {
    res.type('html').send(signInPage(words, partnershipName, {}, {}, safeReturnTo(req.query.returnTo)));
  });

  router.post('/signin', securityHeaders, sameOrigin, form, (req, res) => {
    const result = parseSignIn(req.body, words);
    const returnTo = safeReturnTo(req.query.returnTo);
    if (!result.ok)
      return res
        .status(400)
        .type('html')
        .send(signInPage(words, partnershipName, result.values, result.errors, returnTo));
    const { name, role, organisation, email, localRoles } = result.value;
    const user: ProfessionalIdentity = { id: sessions.idFor(email), name, role, organisation, email, ...(localRoles.length ? { roles: localRoles } : {}) };
    sessions.start(res, user);
    // Who signed in stays out of the log (name, role and email are personal data).
    logger.info({ mode: 'local' }, 'web chat sign-in');
    res.redirect(303, returnTo);
  });
}
