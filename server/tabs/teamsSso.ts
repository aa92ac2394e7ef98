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
export type SsoRefusal = 'malformed' | 'signature' | 'expired' | 'audience' | 'issuer' | 'tenant' | 'claims' | 'scope' | 'client';

/**
 * The Microsoft clients that ask Entra for a tab's SSO token (`azp` in v2 tokens, `appid` in v1): Teams
 * desktop/mobile and web, and the Microsoft 365 and Outlook hosts that run Teams apps, as listed in
 * Microsoft's "Register your tab app with Entra ID" (pre-authorised client applications).
 */
export const teamsClientIds: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
];

/**
 * A delegated token a Teams client obtained for a person (pen test L4): the tab's `access_as_user` scope,
 * a Teams/Microsoft 365 client, and not an app-only token (those carry `idtyp: "app"` and no `scp`).
 */
function delegatedRefusal(claims: JWTPayload): SsoRefusal | undefined {
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!scopes.includes('access_as_user') || (claims.idtyp !== undefined && claims.idtyp !== 'user')) return 'scope';
  const client = claims.azp ?? claims.appid;
  return typeof client === 'string' && teamsClientIds.includes(client.toLowerCase()) ? undefined : 'client';
}

export type SsoResult = { ok: true; user: ProfessionalIdentity } | { ok: false; reason: SsoRefusal };

const oidPattern = /^[0-9a-f-]{36}$/i;
const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined);

/** Entra issues v2 tokens from login.microsoftonline.com and v1 tokens from sts.windows.net. */
function issuerMatches(iss: unknown, tid: string): boolean {
  return iss === `https://login.microsoftonline.com/${tid}/v2.0` || iss === `https://sts.windows.net/${tid}/`;
}

function refusalOf(error: unknown): SsoRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'aud' ? 'audience' : error.claim === 'iat' ? 'expired' : 'claims';
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
 * expiry (required, like iat, tid and oid), then tenant allow-list, issuer for that tenant, and that it is a
 * person's delegated token from a Teams client (`scp`, `idtyp`, `azp`/`appid`). The JWKS is fetched and cached by jose.
 */
export function createTeamsSsoVerifier(settings: TeamsSsoSettings) {
  const jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
  const tenants = new Set(settings.tenantIds.map((t) => t.toLowerCase()));
  return async function verify(token: string): Promise<SsoResult> {
    let claims: JWTPayload;
    try {
      // exp and iat required (pen test L4: a token without exp was accepted for ever); Entra's live at most 90 minutes.
      ({ payload: claims } = await jwtVerify(token, jwks, {
        audience: settings.audiences,
        algorithms: ['RS256'],
        clockTolerance: 60,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
        maxTokenAge: '2h',
      }));
    } catch (error) {
      return { ok: false, reason: refusalOf(error) };
    }
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
    if (!tenants.has(tid)) return { ok: false, reason: 'tenant' };
    if (!issuerMatches(claims.iss, claims.tid as string)) return { ok: false, reason: 'issuer' };
    const oid = typeof claims.oid === 'string' && oidPattern.test(claims.oid) ? claims.oid : undefined;
    if (!oid) return { ok: false, reason: 'claims' };
    const refusal = delegatedRefusal(claims);
    if (refusal) return { ok: false, reason: refusal };
    return { ok: true, user: identityOf(claims, oid, settings.roleLists) };
  };
}

export type TeamsSsoVerifier = ReturnType<typeof createTeamsSsoVerifier>;
