import type { Request, RequestHandler } from 'express';
import type { ProfessionalIdentity, ProfessionalRole } from '../../integrations';
import type { WebSessions } from '../auth';
import type { Logger } from '../logger';
import { sendProblem } from '../http';
import type { TeamsSsoVerifier } from './teamsSso';

/** A compact JWS in `Authorization: Bearer`, nothing else (a session id or API key is not a Teams token). */
export const bearerOf = (req: Request): string | undefined => /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(req.get('authorization') ?? '')?.[1];

/** Who asked: a signed-in user, a Teams token that was refused (never fall back to the cookie then), or nobody. */
export type RequestUser = { user?: ProfessionalIdentity; refused?: true };

export interface SsoRequestsOptions {
  sessions: WebSessions;
  /** Absent: Teams SSO is off and only the web session counts (a bearer is ignored, as before). */
  sso?: TeamsSsoVerifier;
  logger: Logger;
  /** Names the caller in the refusal log line ("tab", "insights"). */
  area: string;
}

/**
 * Who a request comes from, for pages framed in Teams: a framed page is cross-site to Teams, so our
 * SameSite=Strict session cookie is not sent and its script presents the Teams SSO token as a bearer
 * instead. Both are checked the same way everywhere (the tab's list, the insight API and CSV).
 */
export function createSsoRequests({ sessions, sso, logger, area }: SsoRequestsOptions) {
  async function userOf(req: Request): Promise<RequestUser> {
    const bearer = bearerOf(req);
    if (bearer && sso) {
      const result = await sso(bearer);
      if (result.ok) return { user: result.user };
      // Only the reason code: never the token or its claims.
      logger.info({ reason: result.reason }, `${area}: SSO bearer refused`);
      return { refused: true };
    }
    const user = await sessions.current(req);
    return user ? { user } : {};
  }

  /**
   * Like `sessions.requireRole`, for APIs a Teams tab calls: the session or a Teams bearer, roles from
   * configuration (grantRoles) either way. 401 problem+json for nobody or a bad token, 403 without the role.
   */
  function requireRole(...allowed: ProfessionalRole[]): RequestHandler {
    return async (req, res, next) => {
      const who = await userOf(req);
      if (who.refused) return sendProblem(res, 'SG-AUTH-SSO-INVALID', 'The Teams sign-in token was refused.');
      const { user } = who;
      if (!user) return sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Sign in, then try again.');
      if (allowed.length && !allowed.some((role) => user.roles?.includes(role))) {
        return sendProblem(res, 'SG-AUTH-FORBIDDEN', `This needs the ${allowed.join(' or ')} role.`);
      }
      res.locals.user = user;
      next();
    };
  }

  return { userOf, requireRole };
}

export type SsoRequests = ReturnType<typeof createSsoRequests>;
