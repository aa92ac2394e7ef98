import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The hosts that show Teams tabs, and no more (pen test L7): Teams on the web and desktop
 * (`teams.microsoft.com`, `*.teams.microsoft.com`) and the new Teams web client (`teams.cloud.microsoft`),
 * per Microsoft's tab requirements (learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements).
 * The wider `*.cloud.microsoft`, `*.office.com` and `*.skype.com` are for tabs extended to Outlook and the
 * Microsoft 365 app, which this app's manifest does not target; add their hosts here if it ever does.
 */
export const teamsFrameAncestors = ['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://teams.cloud.microsoft'];

/**
 * The CSP for HTML pages. Scripts only from our origin (no inline script, no CDN).
 * `style-src 'unsafe-inline'` is needed because Web Chat styles itself with emotion, which inserts
 * <style> elements at run time; styles cannot run code, so this is the accepted trade-off.
 * `connect-src 'self'` covers the Direct Line REST calls and, in CSP 3 browsers, the same-host WebSocket.
 * `frame-ancestors`: only pages meant to be Teams tabs may be framed, and only by Teams; the rest by no one.
 */
function directives(frameableByTeams: boolean): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'blob:', 'data:'],
    'form-action': ["'self'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
    'frame-ancestors': frameableByTeams ? ["'self'", ...teamsFrameAncestors] : ["'none'"],
  };
}

function serialise(d: Record<string, string[]>): string {
  return Object.entries(d)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export const contentSecurityPolicy = serialise(directives(true));

/**
 * Page headers for any router that serves HTML: helmet's CSP (frame-ancestors chosen per page) plus
 * `Cache-Control: no-store`, since pages carry a professional's name and must not be kept by a shared
 * proxy or the back button. X-Frame-Options cannot list Teams hosts, so it is only sent when no one may frame.
 */
export function pageSecurityHeaders(options: { frameableByTeams: boolean }): RequestHandler {
  const csp = helmet.contentSecurityPolicy({ useDefaults: false, directives: directives(options.frameableByTeams) });
  return (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (options.frameableByTeams) res.removeHeader('X-Frame-Options');
    else res.set('X-Frame-Options', 'DENY');
    csp(req, res, next);
  };
}

/**
 * The chat page, sign-in and sign-out: not Teams tabs (the manifest declares only "My referrals" and the
 * insight page), so nobody frames them (pen test L7); a sign-in page in a frame is a clickjacking target.
 */
export const securityHeaders: RequestHandler = pageSecurityHeaders({ frameableByTeams: false });

/**
 * helmet's non-CSP headers for every response, JSON APIs included: nosniff, no referrer, no cross-origin
 * opener/resource sharing, and HSTS only when the service is published over https (HSTS over http is ignored
 * by browsers and would break a local http setup behind a later https origin).
 */
export function appSecurityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // Teams sign-in (teams-js authentication.authenticate) opens a popup that must keep its opener.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
