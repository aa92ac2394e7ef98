import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

// Synthetic tenant, app and professionals: nothing here is a real Entra id.
export const ssoAppId = '11111111-2222-3333-4444-555555555555';
export const ssoTenant = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const ssoOtherTenant = 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee';
export const ssoOid = '99999999-8888-7777-6666-555555555555';
/** The manifest's webApplicationInfo.resource for PUBLIC_BASE_URL http://bot.example.org. */
export const ssoResource = `api://bot.example.org/botid-${ssoAppId}`;
const kid = 'test-key-1';

export interface TokenOptions {
  aud?: string;
  iss?: string;
  tid?: string;
  oid?: string;
  exp?: number;
  key?: CryptoKey;
  /** Claims to add or replace (`undefined` removes one: `{ scp: undefined }`); `exp: null` issues a token without expiry. */
  claims?: Record<string, unknown>;
}

/** The Teams desktop and mobile client: the `azp` of a real Teams SSO token (v1 tokens name it `appid`). */
export const teamsDesktopClientId = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

/**
 * A loopback JWKS endpoint standing in for login.microsoftonline.com's discovery keys, the key pair it
 * publishes, and a second pair nobody publishes (to forge with).
 */
export async function startTeamsSso() {
  const keys = await generateKeyPair('RS256');
  const forger = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;

  /** A Teams SSO token as Entra ID would issue it for the tab, signed with the published key by default. */
  function token({
    aud = ssoResource,
    tid = ssoTenant,
    iss = `https://login.microsoftonline.com/${tid}/v2.0`,
    oid = ssoOid,
    exp,
    key,
    claims = {},
  }: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = Object.fromEntries(
      Object.entries({
        tid,
        oid,
        name: 'Test Teacher',
        preferred_username: 'test.teacher@example.org',
        ver: '2.0',
        scp: 'access_as_user',
        azp: teamsDesktopClientId,
        ...claims,
      }).filter(([, value]) => value !== undefined),
    );
    const { exp: expClaim, ...rest } = payload;
    const signer = new SignJWT(rest)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject('pairwise-subject-1')
      .setIssuedAt(typeof rest.iat === 'number' ? rest.iat : now - 60);
    if (expClaim !== null) signer.setExpirationTime(exp ?? now + 3600);
    return signer.sign(key ?? keys.privateKey);
  }

  /** The service settings that turn SSO on against this JWKS. */
  const serviceEnv = { MicrosoftAppId: ssoAppId, PUBLIC_BASE_URL: 'http://bot.example.org', TEAMS_SSO_TENANT_IDS: ssoTenant, TEAMS_SSO_JWKS_URL: jwksUrl };
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { token, forgerKey: forger.privateKey, serviceEnv, close };
}

export type TeamsSso = Awaited<ReturnType<typeof startTeamsSso>>;
