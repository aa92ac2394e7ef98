import { z } from 'zod';
import { classifyFailure, type MashFailure } from './mashOutcome';

/** A static token (`MASH_API_TOKEN`) or OAuth2 client credentials (`MASH_TOKEN_URL`, `MASH_CLIENT_ID`, ...). */
export type MashAuth = { kind: 'static'; token: string } | { kind: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export type TokenResult = { ok: true; token: string } | { ok: false; outcome: MashFailure };

export interface TokenProvider {
  token(): Promise<TokenResult>;
  /** Forgets `token` after a 401 so the next call fetches a new one; false when a new one cannot help. */
  invalidate(token: string): boolean;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'must be Bearer'),
  // Some identity providers send expires_in as a string.
  expires_in: z.coerce.number().positive().optional(),
});

/** Used when the token endpoint does not say how long a token lasts (RFC 6749 makes it optional). */
const defaultLifetimeSeconds = 300;

/** Refresh a little before expiry (a tenth of the lifetime, at most a minute) so a token never dies in flight. */
export function refreshAtMs(obtainedAtMs: number, expiresInSeconds: number): number {
  const lifetime = expiresInSeconds * 1000;
  return obtainedAtMs + lifetime - Math.min(60_000, lifetime / 10);
}

interface OAuth2Options {
  auth: Extract<MashAuth, { kind: 'oauth2' }>;
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
}

async function requestToken({ auth, fetch, timeoutMs, now }: OAuth2Options): Promise<{ ok: true; token: string; refreshAt: number } | { ok: false; outcome: MashFailure }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
  if (auth.scope) form.set('scope', auth.scope);
  const startedAt = now();
  try {
    const response = await fetch(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      redirect: 'manual', // the body carries the client secret: a 3xx is a failed token request, never followed
      signal: AbortSignal.timeout(timeoutMs),
    });
    const redirected = response.status >= 300 && response.status < 400;
    if (redirected) await response.body?.cancel();
    const json: unknown = redirected ? undefined : await response.json().catch(() => undefined);
    const parsed = tokenResponseSchema.safeParse(json);
    if (!response.ok || !parsed.success) {
      // Retryable: a credential or identity-provider problem is fixed by an operator, not by the referral.
      return { ok: false, outcome: { kind: 'retryable', status: response.status, reason: `the MASH token endpoint answered ${response.status} without a usable token` } };
    }
    const lifetime = parsed.data.expires_in ?? defaultLifetimeSeconds;
    return { ok: true, token: parsed.data.access_token, refreshAt: refreshAtMs(startedAt, lifetime) };
  } catch (error) {
    const failure = classifyFailure(error);
    return { ok: false, outcome: { ...failure, reason: `token endpoint: ${failure.reason}` } };
  }
}

/**
 * Bearer tokens for the MASH. OAuth2 tokens are cached until shortly before `expires_in`, and callers
 * that need one at the same moment share a single request to the token endpoint.
 */
export function createTokenProvider(auth: MashAuth, options: { fetch: typeof fetch; timeoutMs: number; now: () => number }): TokenProvider {
  if (auth.kind === 'static') {
    return { token: async () => ({ ok: true, token: auth.token }), invalidate: () => false };
  }
  const oauth = auth;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<TokenResult> | undefined;

  async function fetchToken(): Promise<TokenResult> {
    const result = await requestToken({ auth: oauth, ...options });
    if (!result.ok) return result;
    cached = { token: result.token, refreshAt: result.refreshAt };
    return { ok: true, token: result.token };
  }

  return {
    token() {
      if (cached && options.now() < cached.refreshAt) return Promise.resolve({ ok: true, token: cached.token });
      inFlight ??= fetchToken().finally(() => (inFlight = undefined));
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      return true;
    },
  };
}
