import type { Request, RequestHandler, Response } from 'express';
import type { ProfessionalIdentity, ProfessionalRole } from '../../integrations';
import { sendProblem } from '../http';
import { createSessionCodec, readCookie, sessionCookieName, type WebSession } from './session';
import type { Logger } from '../logger';
import { revocationCheck, type SessionRevocations } from './sessionRevocations';

export interface WebSessionsOptions {
  /** At least 32 bytes (see `deriveSessionKey`); every instance needs the same key. */
  key: Buffer;
  /** Mark the cookie `Secure` (and use the `__Host-` name): true when PUBLIC_BASE_URL is https. */
  secure?: boolean;
  now?: () => number;
  /** SESSION_MAX_HOURS in ms: no cookie or Direct Line token from one sign-in lives longer (default 12 h). */
  maxAgeMs?: number;
  /** Where sign-outs are kept (shared by every instance); unset: sign-out only clears the browser's cookie. */
  revocations?: SessionRevocations;
  logger?: Logger;
  /** The page a signed-in browser without the role gets (status 403) instead of problem+json; unset: the problem. */
  forbiddenPage?: (user: ProfessionalIdentity, allowed: ProfessionalRole[]) => string;
}

/** Where a signed-out browser is sent; `returnTo` brings it back to the page it asked for. */
export function signInPath(returnTo: string): string {
  return returnTo === '/' ? '/signin' : `/signin?returnTo=${encodeURIComponent(returnTo)}`;
}

/** Only a local path may be a return target (never `//evil.example` or a full URL): no open redirect. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) && !value.includes('\\') ? value : '/';
}

/**
 * The browser session shared by the web chat, the tab, the coordinator board and the insight pages:
 * one signed cookie, and guards that answer HTML pages with a redirect and APIs with problem+json.
 */
export function createWebSessions({ key, secure = false, now = Date.now, maxAgeMs, revocations, logger, forbiddenPage }: WebSessionsOptions) {
  const codec = createSessionCodec({ key, now, maxAgeMs });
  const cookieName = sessionCookieName(secure);
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' };
  const revoked = revocationCheck(revocations, logger);

  /** The signed-in session: signed, within its lifetime and maximum age, and not signed out (pen test M2). */
  async function session(req: Request): Promise<WebSession | undefined> {
    const opened = codec.open(readCookie(req, cookieName));
    return opened && !(await revoked(opened.sid)) ? opened : undefined;
  }

  const current = async (req: Request): Promise<ProfessionalIdentity | undefined> => (await session(req))?.user;

  /** Signs in: a new session id every time (a sign-in never continues an earlier session, whatever its role). */
  function start(res: Response, user: ProfessionalIdentity): WebSession {
    const sealed = codec.seal(user);
    res.cookie(cookieName, sealed.value, { ...cookieOptions, maxAge: codec.maxAgeSeconds * 1000 });
    return sealed.session;
  }

  /**
   * Signs out: the browser's cookie is cleared and the session id revoked for every instance (a copied
   * cookie or token dies too). A store that cannot take the revocation throws: the caller answers an error
   * rather than a sign-out that did not happen everywhere (the cookie is cleared all the same).
   */
  async function end(req: Request, res: Response): Promise<void> {
    const opened = codec.open(readCookie(req, cookieName));
    res.clearCookie(cookieName, cookieOptions);
    if (opened && revocations) await revocations.revoke(opened.sid, opened.authTime + codec.maxAgeMs);
  }

  const wantsHtml = (req: Request) => req.method === 'GET' && (req.get('accept') ?? '').includes('text/html');

  /**
   * Lets the request through with `res.locals.user` set when the session holds one of `allowed`
   * (any signed-in professional when none is given); otherwise 401 (or the sign-in page) or 403.
   */
  function requireRole(...allowed: ProfessionalRole[]): RequestHandler {
    return async (req, res, next) => {
      const user = await current(req);
      if (!user) {
        if (wantsHtml(req)) return res.redirect(303, signInPath(req.originalUrl));
        return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
      }
      if (allowed.length && !allowed.some((role) => user.roles?.includes(role))) {
        if (wantsHtml(req) && forbiddenPage) return res.status(403).type('html').send(forbiddenPage(user, allowed));
        return sendProblem(res, 'SG-AUTH-FORBIDDEN', `This needs the ${allowed.join(' or ')} role.`);
      }
      res.locals.user = user;
      next();
    };
  }

  return { current, session, start, end, requireRole, idFor: codec.idFor, cookieName, maxAgeMs: codec.maxAgeMs };
}

export type WebSessions = ReturnType<typeof createWebSessions>;
