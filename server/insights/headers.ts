import type { RequestHandler } from 'express';

/**
 * Headers for the insight pages: scripts and styles only from our origin (no inline script or style;
 * the figures travel as a JSON data block, which is not run), and framable only by Microsoft Teams, so
 * the page works as a Teams tab and nowhere else.
 */
export const insightsContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com",
].join('; ');

export const insightsHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': insightsContentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Aggregates only, but a lead's view should not sit in a shared cache.
    'Cache-Control': 'no-store',
  });
  next();
};
