import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { ProfessionalIdentity } from '../../integrations';
import { grantRoles, type RoleLists } from '../auth';
import { aadIdPrefix } from './referralRows';

export interface TeamsSsoSettings {
  jwksUrl: string;
  /** Tenants whose users may sign in; SSO is off without at least one. */
  tenantIds: string[];
  /** The manifest's webApplicationInfo.resource and the bot's app id. */
  audiences: string[];
  roleLists: RoleLists;
}

/** Why a token was refused: logged as the code alone (never the token or its claims). */
export type SsoRefusal = 'malformed' | 'signature' | 'expired' | 'audience' | 'issuer' | 'tenant' | 'claims';

export type SsoResult = { ok: true; user: ProfessionalIdentity } | { ok: false; reason: SsoRefusal };

const oidPattern = /^[0-9a-f-]{36}$/i;
const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined);

/** Entra issues v2 tokens from login.microsoftonline.com and v1 tokens from sts.windows.net. */
function issuerMatches(iss: unknown, tid: string): boolean {
  return iss === `https://login.microsoftonline.com/${tid}/v2.0` || iss === `https://sts.windows.net/${tid}/`;
}

function refusalOf(error: unknown): SsoRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'aud' ? 'audience' : 'claims';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'signature';
  return 'malformed';
}

function identityOf(claims: JWTPayload, oid: string, roleLists: RoleLists): ProfessionalIdentity {
  const email = text(claims.preferred_username, 320) ?? text(claims.upn, 320) ?? text(claims.email, 320);
  const name = text(claims.name, 200);
  const roles = grantRoles(roleLists, oid);
  return {
    id: `${aadIdPrefix}${oid.toLowerCase()}`,
    ...(name ? { name } : {}),
    ...(email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? { email } : {}),
    ...(roles.length ? { roles } : {}),
  };
}

/**
 * Checks a Teams SSO token (`authentication.getAuthToken()`): signature against the Entra JWKS, audience,
 * expiry, then tenant allow-list and issuer for that tenant. The JWKS is fetched and cached by jose.
 */
export function createTeamsSsoVerifier(settings: TeamsSsoSettings) {
  const jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
  const tenants = new Set(settings.tenantIds.map((t) => t.toLowerCase()));
  return async function verify(token: string): Promise<SsoResult> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, { audience: settings.audiences, algorithms: ['RS256'], clockTolerance: 60 }));
    } catch (error) {
      return { ok: false, reason: refusalOf(error) };
    }
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
    if (!tenants.has(tid)) return { ok: false, reason: 'tenant' };
    if (!issuerMatches(claims.iss, claims.tid as string)) return { ok: false, reason: 'issuer' };
    const oid = typeof claims.oid === 'string' && oidPattern.test(claims.oid) ? claims.oid : undefined;
    if (!oid) return { ok: false, reason: 'claims' };
    return { ok: true, user: identityOf(claims, oid, settings.roleLists) };
  };
}

export type TeamsSsoVerifier = ReturnType<typeof createTeamsSsoVerifier>;
