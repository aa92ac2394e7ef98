import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { professionalIdentitySchema, type ProfessionalIdentity } from '../../integrations';

/** The cookie holding the signed session; `__Host-` needs Secure, so the name depends on the scheme. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sg_session' : 'sg_session';
}

/**
 * A session key derived from the state key (HKDF, its own label), so every instance accepts the same
 * cookies and a leaked session key says nothing about the state or Direct Line keys.
 */
export function deriveSessionKey(material: Buffer, purpose: 'webchat-session-v1' | 'oidc-pending-v1' | 'rate-limit-keys-v1' = 'webchat-session-v1'): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'safeguarding-bot', purpose, 32));
}

/**
 * The cookie's payload: who, until when, and the session (pen test M2): its id, which sign-out revokes,
 * and the sign-in time (`at`, epoch ms), from which the maximum age runs whatever is refreshed.
 */
const sessionSchema = z.object({ user: professionalIdentitySchema, exp: z.number(), sid: z.string().min(8).max(64), at: z.number() });

/** A signed-in session: the professional, the session id and when they signed in (epoch ms). */
export interface WebSession {
  user: ProfessionalIdentity;
  sid: string;
  authTime: number;
}

export interface SessionCodecOptions {
  key: Buffer;
  /** A working day: long enough not to interrupt a shift, short enough that a shared PC forgets. */
  lifetimeMs?: number;
  /** SESSION_MAX_HOURS: nothing issued from one sign-in (cookie, Direct Line token) outlives it. */
  maxAgeMs?: number;
  now?: () => number;
}

export const defaultSessionMaxHours = 12;

/** A new session id: random, never derived from who signed in. */
export const newSessionId = () => randomBytes(18).toString('base64url');

/** Signs and checks the session cookie value: base64url(JSON) "." HMAC-SHA256. Revocation is checked by the caller. */
export function createSessionCodec({ key, lifetimeMs = 8 * 60 * 60_000, maxAgeMs = defaultSessionMaxHours * 60 * 60_000, now = Date.now }: SessionCodecOptions) {
  if (key.length < 32) throw new RangeError('a session key needs at least 32 bytes');
  const mac = (body: string) => createHmac('sha256', key).update(`session.${body}`).digest();
  const cookieMs = Math.min(lifetimeMs, maxAgeMs);

  /** A new session (fresh id, signed in now) for `user`. */
  function seal(user: ProfessionalIdentity): { value: string; session: WebSession } {
    const session = { user, sid: newSessionId(), authTime: now() };
    const body = Buffer.from(JSON.stringify({ user, exp: session.authTime + cookieMs, sid: session.sid, at: session.authTime })).toString('base64url');
    return { value: `${body}.${mac(body).toString('base64url')}`, session };
  }

  function open(value: string | undefined): WebSession | undefined {
    const [body, sig, extra] = (value ?? '').split('.');
    if (!body || !sig || extra !== undefined) return undefined;
    const given = Buffer.from(sig, 'base64url');
    const expected = mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const parsed = sessionSchema.safeParse(parseJson(Buffer.from(body, 'base64url').toString('utf8')));
    if (!parsed.success || parsed.data.exp <= now() || parsed.data.at + maxAgeMs <= now()) return undefined;
    return { user: parsed.data.user, sid: parsed.data.sid, authTime: parsed.data.at };
  }

  /** A stable pseudonymous id per email, keyed so the id cannot be reversed by guessing addresses. */
  function idFor(email: string): string {
    return `local-${createHmac('sha256', key).update(`id.${email.toLowerCase()}`).digest('hex').slice(0, 24)}`;
  }

  return { seal, open, idFor, maxAgeSeconds: Math.floor(cookieMs / 1000), maxAgeMs };
}

export type SessionCodec = ReturnType<typeof createSessionCodec>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads one cookie without a parser dependency (RFC 6265 `name=value; name=value`). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
