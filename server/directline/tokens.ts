import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { professionalIdentitySchema, type ProfessionalIdentity } from '../../integrations';

/** `bearer`: the Direct Line token a client sends in Authorization. `stream`: the ticket in a streamUrl. */
export type TokenPurpose = 'bearer' | 'stream';

/** The sign-in a token comes from (pen test M2): revoked at sign-out, and no token outlives its maximum age. */
export interface TokenSession {
  sid: string;
  /** When the professional signed in, epoch milliseconds. */
  authTime: number;
}

export interface TokenClaims {
  conversationId: string;
  user: ProfessionalIdentity;
  purpose: TokenPurpose;
  /** Epoch milliseconds. */
  expiresAt: number;
  session: TokenSession;
  /** The token's own id: a stream ticket is spent by it. */
  jti: string;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'purpose' };

const issuer = 'safeguarding-bot/directline';
const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** The JWT payload: registered claims, the conversation (`conv`), the professional and the session (`sid`, `auth_time` in seconds, as OIDC names them). */
const payloadSchema = z.object({
  iss: z.literal(issuer),
  aud: z.enum(['bearer', 'stream']),
  sub: z.string(),
  conv: z.string().min(1),
  name: z.string().optional(),
  role: z.string().optional(),
  org: z.string().optional(),
  email: z.string().optional(),
  /** The sign-in's phone (OIDC's own claim name): without it "Use this number" is never offered in the chat. */
  phone_number: z.string().optional(),
  iat: z.number(),
  exp: z.number(),
  jti: z.string(),
  sid: z.string().min(8).max(64),
  auth_time: z.number(),
});

/**
 * A key for signing tokens, derived from other key material (HKDF, SHA-256) so that one secret can
 * serve two purposes without either use weakening the other. Every instance must derive the same key.
 */
export function deriveTokenKey(material: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'safeguarding-bot', 'directline-token-v1', 32));
}

/**
 * Compact JWS (HS256) tokens: a standard shape, so the official client (which may decode them) and any
 * debugging tool read them, but signed and checked here with one key and no library. Identity travels
 * in bearer tokens only; stream tickets (which end up in URLs and proxy logs) carry just the ids.
 */
export function createTokenSigner(options: { key: Buffer; now: () => number }) {
  if (options.key.length < 32) throw new RangeError('a Direct Line token key needs at least 32 bytes');
  const mac = (input: string) => createHmac('sha256', options.key).update(input).digest();

  /** `expiresAt` (epoch ms) caps the lifetime: the session's maximum age, which no token outlives. */
  function sign(conversationId: string, user: ProfessionalIdentity, purpose: TokenPurpose, lifetimeMs: number, session: TokenSession, expiresAt = Infinity): string {
    const iat = Math.floor(options.now() / 1000);
    const identity = purpose === 'bearer' ? { name: user.name, role: user.role, org: user.organisation, email: user.email, phone_number: user.phone } : {};
    const exp = Math.min(iat + Math.floor(lifetimeMs / 1000), Math.floor(expiresAt / 1000));
    const payload = {
      iss: issuer,
      aud: purpose,
      sub: user.id,
      conv: conversationId,
      ...identity,
      iat,
      exp,
      jti: randomBytes(9).toString('base64url'),
      sid: session.sid,
      auth_time: Math.floor(session.authTime / 1000),
    };
    const body = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${mac(body).toString('base64url')}`;
  }

  function verify(token: string, purpose: TokenPurpose): VerifyResult {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== header) return { ok: false, reason: 'malformed' };
    const expected = mac(`${parts[0]}.${parts[1]}`);
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    const parsed = payloadSchema.safeParse(parseJson(Buffer.from(parts[1], 'base64url').toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    const p = parsed.data;
    if (p.aud !== purpose) return { ok: false, reason: 'purpose' };
    if (p.exp * 1000 <= options.now()) return { ok: false, reason: 'expired' };
    const user = professionalIdentitySchema.safeParse({ id: p.sub, name: p.name, role: p.role, organisation: p.org, email: p.email, phone: p.phone_number });
    if (!user.success) return { ok: false, reason: 'malformed' };
    return {
      ok: true,
      claims: { conversationId: p.conv, user: user.data, purpose: p.aud, expiresAt: p.exp * 1000, session: { sid: p.sid, authTime: p.auth_time * 1000 }, jti: p.jti },
    };
  }

  return { sign, verify };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** Compares a presented secret with the configured one in constant time (hashing equalises lengths). */
export function secretMatches(presented: string, secret: string | undefined): boolean {
  if (!secret) return false;
  const digest = (value: string) => createHmac('sha256', 'directline-secret').update(value).digest();
  return timingSafeEqual(digest(presented), digest(secret));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
