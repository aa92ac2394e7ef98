import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const sessionCookie = 'reference_mash_session';
/** A working day: long enough to triage, short enough that a forgotten browser does not stay signed in. */
const sessionSeconds = 8 * 60 * 60;

/** Constant-time and length-blind: both sides are hashed first. */
function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Sign-in for the `/mash` page with the reference MASH's own bearer token (from
 * `DATA_DIR/reference-mash.token`). The session is a stateless cookie, `<expiry>.<HMAC>` keyed from
 * the token, so it survives restarts and dies with a new token; HttpOnly and SameSite=Strict, and
 * every form also carries a CSRF token derived from the session.
 */
export function createPageSession(token: string, now: () => Date) {
  const key = createHmac('sha256', token).update('reference-mash page session').digest();
  const mac = (value: string) => createHmac('sha256', key).update(value).digest('base64url');
  const nowSeconds = () => Math.floor(now().getTime() / 1000);

  /** The session value, if the request carries a valid, unexpired one. */
  function sessionOf(req: Request): string | undefined {
    const value = cookieOf(req, sessionCookie);
    const [expires, signature] = value?.split('.') ?? [];
    if (!value || !expires || !signature || !/^\d{1,12}$/.test(expires) || Number(expires) < nowSeconds()) return undefined;
    return same(signature, mac(expires)) ? value : undefined;
  }

  return {
    sessionOf,
    checkToken: (given: string) => given.length > 0 && same(given, token),
    csrfOf: (session: string) => mac(`csrf.${session}`),
    validCsrf: (session: string, given: unknown) => typeof given === 'string' && same(given, mac(`csrf.${session}`)),
    start(req: Request, res: Response): void {
      const expires = String(nowSeconds() + sessionSeconds);
      res.cookie(sessionCookie, `${expires}.${mac(expires)}`, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: req.baseUrl || '/',
        maxAge: sessionSeconds * 1000,
      });
    },
    end(req: Request, res: Response): void {
      res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: req.baseUrl || '/' });
    },
  };
}

export type PageSession = ReturnType<typeof createPageSession>;
