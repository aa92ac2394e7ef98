import type { RequestHandler } from 'express';

/**
 * Headers for the chat and sign-in pages. Scripts only from our origin (no inline script, no CDN).
 * `style-src 'unsafe-inline'` is needed because Web Chat styles itself with emotion, which inserts
 * <style> elements at run time; styles cannot run code, so this is the accepted trade-off.
 * `connect-src 'self'` covers the Direct Line REST calls and, in CSP 3 browsers, the same-host WebSocket.
 * `frame-ancestors` lets Teams show the page as a tab and nobody else frame it (clickjacking).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob: data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Pages carry a professional's name: never let a shared proxy or the back button keep them.
    'Cache-Control': 'no-store',
  });
  next();
};
