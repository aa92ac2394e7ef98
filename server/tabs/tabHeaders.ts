import type { RequestHandler } from 'express';
import { teamsFrameAncestors as teamsHosts } from '../webchat/securityHeaders';

/** Who may frame a tab page: ourselves and every Teams host (one list, shared with the web chat's CSP). */
export const teamsFrameAncestors = ["'self'", ...teamsHosts];

/**
 * A strict CSP for a page with no inline script or style: everything from our origin only.
 * `frame-ancestors` is a parameter so each page says who may frame it (Teams for the tab; nobody else).
 */
export function pageContentSecurityPolicy(frameAncestors: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
}

/** Strict headers for a page with no inline script or style, its script and its API: the tab, and the insight pages. */
export function tabHeaders(frameAncestors: string[] = teamsFrameAncestors): RequestHandler {
  const csp = pageContentSecurityPolicy(frameAncestors);
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // A list of referrals about children: never kept by a proxy or the back button.
      'Cache-Control': 'no-store',
    });
    next();
  };
}
