import type { Request, Response } from 'express';
import type { Logger } from '../logger';
import { sendDirectLineProblem } from './directLineProblems';
import { secretMatches, type TokenClaims, type TokenSigner } from './tokens';

export type Caller = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

export interface GateOptions {
  signer: TokenSigner;
  secret?: string;
  logger: Logger;
  /** True when the token's session was signed out (pen test M2). */
  isRevoked: (sid: string) => Promise<boolean>;
  /** SESSION_MAX_HOURS in ms: a token from an older sign-in is refused whatever its own expiry. */
  maxAgeMs: number;
  now: () => number;
}

export interface Requirement {
  /** The server-side secret may call (starting or generating conversations), not only a token. */
  allowSecret?: boolean;
  /** Only the secret may call (`/tokens/generate`). */
  secretOnly?: boolean;
  /** The conversation in the path, which a token must be bound to. */
  conversationId?: string;
}

function bearerOf(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Who is calling: the holder of the Direct Line secret, or the professional a token was issued to. On
 * refusal the problem has been sent and the result is undefined: 401 with no credentials at all, 403
 * for a credential that is wrong, expired, forged or bound to another conversation (the official
 * client reads 403 as "get a new token", which is the right advice in every one of those cases).
 */
export function createGate({ signer, secret, logger, isRevoked, maxAgeMs, now }: GateOptions) {
  return async function admit(req: Request, res: Response, need: Requirement = {}): Promise<Caller | undefined> {
    const presented = bearerOf(req);
    if (!presented) {
      sendDirectLineProblem(res, 'SG-DL-UNAUTHENTICATED', 'Send `Authorization: Bearer <token>` with a Direct Line token.');
      return undefined;
    }
    if (secretMatches(presented, secret)) {
      if (need.allowSecret || need.secretOnly) return { kind: 'secret' };
      sendDirectLineProblem(res, 'SG-DL-FORBIDDEN', 'The Direct Line secret stays on the server: use a token here.');
      return undefined;
    }
    if (need.secretOnly) {
      sendDirectLineProblem(res, 'SG-DL-FORBIDDEN', 'Only the server, with the Direct Line secret, can generate tokens.');
      return undefined;
    }
    const verified = signer.verify(presented, 'bearer');
    if (!verified.ok) {
      logger.debug({ reason: verified.reason }, 'direct line token refused');
      const detail = verified.reason === 'expired' ? 'The token has expired: sign in again or refresh it before it expires.' : 'The token is not valid.';
      sendDirectLineProblem(res, 'SG-DL-FORBIDDEN', detail);
      return undefined;
    }
    const { session } = verified.claims;
    if (session.authTime + maxAgeMs <= now() || (await isRevoked(session.sid))) {
      logger.debug({ reason: 'session' }, 'direct line token refused');
      sendDirectLineProblem(res, 'SG-DL-FORBIDDEN', 'The sign-in this token came from has ended: sign in again.');
      return undefined;
    }
    if (need.conversationId !== undefined && verified.claims.conversationId !== need.conversationId) {
      logger.debug({ reason: 'conversation' }, 'direct line token refused');
      sendDirectLineProblem(res, 'SG-DL-FORBIDDEN', 'The token belongs to another conversation.');
      return undefined;
    }
    return { kind: 'token', claims: verified.claims };
  };
}

export type Gate = ReturnType<typeof createGate>;
