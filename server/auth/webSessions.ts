import type { Request, RequestHandler, Response } from 'express';
import type { ProfessionalIdentity, ProfessionalRole } from '../../integrations';
import { sendProblem } from '../problem';
import { createSessionCodec, readCookie, sessionCookieName } from '../webchat/session';

export interface WebSessionsOptions {
  /** At least 32 bytes (see `deriveSessionKey`); every instance needs the same key. */
  key: Buffer;
  /** Mark the cookie `Secure` (and use the `__Host-` name): true when PUBLIC_BASE_URL is https. */
  secure?: boolean;
  now?: () => number;
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
export function createWebSessions({ key, secure = false, now }: WebSessionsOptions) {
  const codec = createSessionCodec({ key, now });
  const cookieName = sessionCookieName(secure);
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' };

  const current = (req: Request): ProfessionalIdentity | undefined => codec.open(readCookie(req, cookieName));

  function start(res: Response, user: ProfessionalIdentity): void {
    res.cookie(cookieName, codec.seal(user), { ...cookieOptions, maxAge: codec.maxAgeSeconds * 1000 });
  }

  function end(res: Response): void {
    res.clearCookie(cookieName, cookieOptions);
  }

  const wantsHtml = (req: Request) => req.method === 'GET' && (req.get('accept') ?? '').includes('text/html');

  /**
   * Lets the request through with `res.locals.user` set when the session holds one of `allowed`
   * (any signed-in professional when none is given); otherwise 401 (or the sign-in page) or 403.
   */
  function requireRole(...allowed: ProfessionalRole[]): RequestHandler {
    return (req, res, next) => {
      const user = current(req);
      if (!user) {
        if (wantsHtml(req)) return res.redirect(303, signInPath(req.originalUrl));
        return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
      }
      if (allowed.length && !allowed.some((role) => user.roles?.includes(role))) {
        return sendProblem(res, 'SG-AUTH-FORBIDDEN', `This needs the ${allowed.join(' or ')} role.`);
      }
      res.locals.user = user;
      next();
    };
  }

  return { current, start, end, requireRole, idFor: codec.idFor, cookieName };
}

export type WebSessions = ReturnType<typeof createWebSessions>;
