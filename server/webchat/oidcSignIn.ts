import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { ServiceWordKey, ServiceWords } from '../../flows';
import { safeReturnTo, type RoleLists, type WebSessions } from '../auth';
import type { Logger } from '../logger';
import { identityFromClaims } from './oidcClaims';
import { continuePage, noticePage } from './pages';
import { securityHeaders } from './securityHeaders';
import { readCookie } from '../auth/session';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  scopes?: string;
}

export interface OidcSignInOptions {
  settings: OidcSettings;
  sessions: WebSessions;
  roleLists: RoleLists;
  /** Signs the short-lived cookie that carries state, nonce and the PKCE verifier to the callback. */
  key: Buffer;
  secure: boolean;
  partnershipName: string;
  /** The pack's words for the notice pages. */
  words: ServiceWords;
  logger: Logger;
  now?: () => number;
}

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string(), exp: z.number() });
type Pending = z.infer<typeof pendingSchema>;
/** Ten minutes to sign in at the provider; after that the attempt starts again. */
const pendingLifetimeMs = 10 * 60_000;

/** Seals what the callback must check, so no server-side state is needed between the two requests. */
function pendingCodec(key: Buffer, now: () => number) {
  const mac = (body: string) => createHmac('sha256', key).update(`oidc-pending.${body}`).digest();
  return {
    seal(pending: Omit<Pending, 'exp'>): string {
      const body = Buffer.from(JSON.stringify({ ...pending, exp: now() + pendingLifetimeMs })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    open(value: string | undefined): Pending | undefined {
      const [body, sig] = (value ?? '').split('.');
      if (!body || !sig) return undefined;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const parsed = pendingSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        return parsed.success && parsed.data.exp > now() ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Loopback providers (tests, a developer's own) may be plain http; anything else must be https, as openid-client 6 requires. */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Discovery is retried on the next sign-in after a failure, so a provider that is down when the service
 * starts does not stop the service, and sign-in recovers by itself when the provider is back.
 */
function lazyClient(settings: OidcSettings) {
  let client: Promise<oidc.Configuration> | undefined;
  return async (): Promise<oidc.Configuration> => {
    const issuer = new URL(settings.issuer);
    client ??= oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
    try {
      return await client;
    } catch (error) {
      client = undefined;
      throw error;
    }
  };
}

/**
 * OpenID Connect sign-in (authorisation code + PKCE S256) for WEBCHAT_AUTH=oidc: `GET /signin` goes to the
 * partnership's identity provider, the callback (the path of OIDC_REDIRECT_URL) checks state, nonce and
 * the verifier, then opens the same browser session the local sign-in opens.
 */
export function createOidcSignIn(options: OidcSignInOptions): Router {
  const { settings, sessions, logger, partnershipName, secure, words } = options;
  const now = options.now ?? Date.now;
  const pending = pendingCodec(options.key, now);
  const client = lazyClient(settings);
  const cookieName = secure ? '__Host-sg_oidc' : 'sg_oidc';
  // Lax, not Strict: the provider's redirect back is a cross-site top-level GET that must carry it.
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
  const router = express.Router();
  const retry = (returnTo: string) => ({ href: `/signin${returnTo === '/' ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`, label: words('signin-retry') });

  /** A notice page: the pack's heading and text for what went wrong, and a link to try again. */
  function fail(res: Response, status: number, heading: ServiceWordKey, textLine: ServiceWordKey, returnTo = '/'): void {
    res
      .status(status)
      .type('html')
      .send(noticePage(words, partnershipName, words(heading), words(textLine), retry(returnTo)));
  }

  router.get('/signin', securityHeaders, async (req: Request, res: Response) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    let provider: oidc.Configuration;
    try {
      provider = await client();
    } catch (err) {
      logger.warn({ err: { message: (err as Error).message }, mode: 'oidc' }, 'identity provider unavailable');
      return fail(res, 503, 'signin-unavailable-heading', 'signin-unavailable', returnTo);
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    res.cookie(cookieName, pending.seal({ state, nonce, verifier, returnTo }), { ...cookieOptions, maxAge: pendingLifetimeMs });
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes ?? 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.redirect(303, url.href);
  });

  router.get(new URL(settings.redirectUrl).pathname, securityHeaders, async (req: Request, res: Response) => {
    const started = pending.open(readCookie(req, cookieName));
    res.clearCookie(cookieName, cookieOptions);
    if (!started) return fail(res, 400, 'signin-expired-heading', 'signin-expired');
    if (typeof req.query.error === 'string') {
      logger.warn({ mode: 'oidc', error: req.query.error.slice(0, 64) }, 'identity provider refused sign-in');
      return fail(res, 403, 'signin-refused-heading', 'signin-refused', started.returnTo);
    }
    try {
      const provider = await client();
      // The configured redirect URL with the query the provider sent: behind a proxy req's own host is not the public one.
      const current = new URL(settings.redirectUrl);
      current.search = new URL(req.originalUrl, current).search;
      const tokens = await oidc.authorizationCodeGrant(provider, current, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const extra = tokens.access_token && claims ? await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub).catch(() => ({})) : {};
      const user = identityFromClaims({ ...extra, ...claims }, options.roleLists);
      if (!user) return fail(res, 403, 'signin-refused-heading', 'signin-no-details', started.returnTo);
      sessions.start(res, user);
      logger.info({ mode: 'oidc' }, 'web chat sign-in');
      res.type('html').send(continuePage(words, partnershipName, started.returnTo));
    } catch (err) {
      const refused = err instanceof oidc.ClientError || err instanceof oidc.ResponseBodyError || err instanceof oidc.AuthorizationResponseError;
      if (!refused) {
        logger.warn({ mode: 'oidc', err: { name: (err as Error).name, message: (err as Error).message } }, 'identity provider unavailable at callback');
        return fail(res, 502, 'signin-unavailable-heading', 'signin-unavailable', started.returnTo);
      }
      // openid-client's ClientError names the failed check (state mismatch, nonce, PKCE); no personal data.
      logger.warn({ mode: 'oidc', err: { name: (err as Error).name, message: (err as Error).message } }, 'sign-in callback refused');
      fail(res, 400, 'signin-unchecked-heading', 'signin-unchecked', started.returnTo);
    }
  });

  return router;
}
