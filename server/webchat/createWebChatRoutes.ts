import { resolve } from 'node:path';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { ProfessionalIdentity } from '../../integrations';
import type { Logger } from '../logger';
import { chatPage, signInPage } from './pages';
import { securityHeaders } from './securityHeaders';
import { createSessionCodec, readCookie, sessionCookieName } from './session';
import { parseSignIn } from './signInForm';

export interface WebChatRoutesOptions {
  /** `directLine.issueToken`: a token bound to a new conversation and to the signed-in professional. */
  issueToken: (user: ProfessionalIdentity) => { token: string; conversationId: string; expires_in: number };
  logger: Logger;
  partnershipName: string;
  /** At least 32 bytes (see `deriveSessionKey`); every instance needs the same key. */
  sessionKey: Buffer;
  /** Mark the cookie `Secure` (and use the `__Host-` name): true when PUBLIC_BASE_URL is https. */
  secureCookies?: boolean;
  /** Where `npm run build` puts the bundle; the default is dist/webchat beside the compiled server. */
  bundleDir?: string;
  now?: () => number;
}

/** Refusals of this router, in the RFC 9457 shape the rest of the service uses. */
const webChatErrors = {
  'SG-WEBCHAT-UNAUTHENTICATED': { status: 401, title: 'Sign in to use the web chat' },
  'SG-WEBCHAT-CROSS-ORIGIN': { status: 403, title: 'Requests must come from this site' },
} as const;

function refuse(res: Response, code: keyof typeof webChatErrors, detail: string): void {
  const { status, title } = webChatErrors[code];
  res.status(status).type('application/problem+json').json({ type: `urn:safeguarding-bot:error:${code}`, title, status, code, detail });
}

/**
 * Cross-site requests are refused: the SameSite=Strict cookie already stops them carrying a session,
 * and this also stops a hostile page signing someone in as somebody else (login CSRF). Browsers send
 * Sec-Fetch-Site; older ones send Origin; non-browser clients send neither and have no cookie to abuse.
 */
const sameOrigin: RequestHandler = (req, res, next) => {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const ok = site ? site === 'same-origin' : !origin || origin === `${req.protocol}://${req.get('host')}`;
  if (ok) return next();
  refuse(res, 'SG-WEBCHAT-CROSS-ORIGIN', 'Open the chat from this site.');
};

/**
 * The web chat's pages: local sign-in (WEBCHAT_AUTH=local), the chat page, the Direct Line token for the
 * signed-in professional, and the bundled Web Chat client. Mount at `/`.
 */
export function createWebChatRoutes(options: WebChatRoutesOptions): Router {
  const { issueToken, logger, partnershipName } = options;
  const secure = options.secureCookies ?? false;
  const cookieName = sessionCookieName(secure);
  const sessions = createSessionCodec({ key: options.sessionKey, now: options.now });
  const bundleDir = options.bundleDir ?? resolve(__dirname, '..', '..', 'webchat');
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const signedIn = (req: Request) => sessions.open(readCookie(req, cookieName));
  const router = express.Router();

  router.get('/', securityHeaders, (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    res.type('html').send(chatPage(partnershipName));
  });

  router.get('/signin', securityHeaders, (_req, res) => {
    res.type('html').send(signInPage(partnershipName));
  });

  router.post('/signin', securityHeaders, sameOrigin, form, (req, res) => {
    const result = parseSignIn(req.body);
    if (!result.ok) return res.status(400).type('html').send(signInPage(partnershipName, result.values, result.errors));
    const { name, role, organisation, email } = result.value;
    const user: ProfessionalIdentity = { id: sessions.idFor(email), name, role, organisation, email };
    res.cookie(cookieName, sessions.seal(user), { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: sessions.maxAgeSeconds * 1000 });
    // Who signed in stays out of the log (name, role and email are personal data).
    logger.info({ mode: 'local' }, 'web chat sign-in');
    res.redirect(303, '/');
  });

  router.post('/signout', securityHeaders, sameOrigin, (_req, res) => {
    res.clearCookie(cookieName, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    res.redirect(303, '/signin');
  });

  router.post('/webchat/token', securityHeaders, sameOrigin, (req, res) => {
    const user = signedIn(req);
    if (!user) return refuse(res, 'SG-WEBCHAT-UNAUTHENTICATED', 'Sign in, then reload the chat.');
    const { token, conversationId, expires_in } = issueToken(user);
    res.json({ token, conversationId, expires_in, userId: user.id, userName: user.name });
  });

  router.get('/webchat/app.js', securityHeaders, (_req, res, next) => {
    // no-cache (revalidate by ETag): a new deployment's bundle is picked up at once.
    res.sendFile('app.js', { root: bundleDir, headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next();
    });
  });

  return router;
}
