import { decodeProtectedHeader, errors, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { z } from 'zod';

/** The Bot Framework's published signing keys (public cloud): what the channel signs its tokens with. */
export const botFrameworkOpenIdMetadataUrl = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const botFrameworkIssuer = 'https://api.botframework.com';
/** Keys are re-read at least this often, and at most this often when a token names a key we lack (rotation). */
const keysMaxAgeMs = 24 * 3600_000;
const unknownKeyRefreshMs = 5 * 60_000;
const fetchTimeoutMs = 10_000;
/** The Bot Framework's own allowance for clock skew between the channel and us. */
const clockToleranceSeconds = 300;

const metadataSchema = z.object({ jwks_uri: z.url() });
const channelKeySchema = z.looseObject({ kid: z.string(), kty: z.string(), endorsements: z.array(z.string()).optional() });
const keySetSchema = z.object({ keys: z.array(z.unknown()) });
type ChannelKey = z.infer<typeof channelKeySchema>;

/** The signing keys could not be had (metadata or key set unreachable, or answering an error). */
export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

async function getJson(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'error' });
  } catch (error) {
    throw new KeysUnavailable((error as Error).name, { cause: error });
  }
  if (!res.ok) throw new KeysUnavailable(`HTTP ${res.status}`);
  return res.json().catch((error: unknown) => {
    throw new KeysUnavailable('not JSON', { cause: error });
  });
}

/**
 * The channel's signing keys, from its OpenID metadata (configurable, so tests publish keys on loopback),
 * with each key's `endorsements` (the channels it may sign for), which JWKS libraries drop. A failed
 * refresh keeps the keys we had.
 */
export function channelKeys(metadataUrl: string, now: () => number = Date.now) {
  let cached: { keys: ChannelKey[]; at: number } | undefined;
  let pending: Promise<ChannelKey[]> | undefined;
  const load = async (): Promise<ChannelKey[]> => {
    const metadata = metadataSchema.safeParse(await getJson(metadataUrl));
    if (!metadata.success) throw new KeysUnavailable('metadata without jwks_uri');
    const set = keySetSchema.safeParse(await getJson(metadata.data.jwks_uri));
    if (!set.success) throw new KeysUnavailable('key set without keys');
    const keys = set.data.keys.flatMap((k) => {
      const parsed = channelKeySchema.safeParse(k);
      return parsed.success ? [parsed.data] : [];
    });
    cached = { keys, at: now() };
    return keys;
  };
  const refresh = (): Promise<ChannelKey[]> => {
    pending ??= load().finally(() => (pending = undefined));
    return pending.catch((error: unknown) => {
      if (cached) return cached.keys;
      throw error;
    });
  };
  return async function keyFor(kid: string): Promise<ChannelKey | undefined> {
    const stale = !cached || now() - cached.at > keysMaxAgeMs;
    let keys = stale ? await refresh() : cached!.keys;
    let key = keys.find((k) => k.kid === kid);
    if (!key && cached && now() - cached.at > unknownKeyRefreshMs) {
      keys = await refresh();
      key = keys.find((k) => k.kid === kid);
    }
    return key;
  };
}

export type ChannelKeys = ReturnType<typeof channelKeys>;

/** Why a token was refused; `keys-unavailable` is ours to retry, the rest the caller's fault. */
export type TokenRefusal = 'invalid' | 'no-exp' | 'keys-unavailable';

export type ChannelTokenResult = { ok: true; claims: JWTPayload } | { ok: false; reason: TokenRefusal; error: string };

const refused = (reason: TokenRefusal, error: string): ChannelTokenResult => ({ ok: false, reason, error });

/**
 * Checks a Bot Framework channel token the way botbuilder did (RS256, the channel's issuer, our app id as
 * audience, a key endorsed for the activity's channel, the `serviceurl` claim equal to the activity's
 * service URL), and also requires `exp` (pen test L4: botbuilder accepted a token without it).
 */
export function verifyChannelToken(appId: string, keyFor: ChannelKeys) {
  return async (activity: { channelId?: unknown; serviceUrl?: unknown }, authorization: string): Promise<ChannelTokenResult> => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return refused('invalid', 'no-bearer');
    const token = match[1];
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256' || typeof header.kid !== 'string') return refused('invalid', 'algorithm-or-kid');
      kid = header.kid;
    } catch {
      return refused('invalid', 'malformed');
    }
    let key: ChannelKey | undefined;
    try {
      key = await keyFor(kid);
    } catch (error) {
      return refused('keys-unavailable', (error as Error).message);
    }
    if (!key) return refused('invalid', 'unknown-key');
    if (typeof activity.channelId === 'string' && key.endorsements && !key.endorsements.includes(activity.channelId)) return refused('invalid', 'not-endorsed');
    try {
      const { payload } = await jwtVerify(token, await importJWK(key as JWK, 'RS256'), {
        issuer: botFrameworkIssuer,
        audience: appId,
        algorithms: ['RS256'],
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      if (payload.serviceurl !== activity.serviceUrl) return refused('invalid', 'serviceurl');
      return { ok: true, claims: payload };
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') return refused('no-exp', error.code);
      return refused('invalid', error instanceof errors.JOSEError ? error.code : 'unverifiable');
    }
  };
}
