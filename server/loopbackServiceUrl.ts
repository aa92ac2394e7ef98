import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { sendProblem } from './http';

/** Whether a URL's host is this machine (127.0.0.0/8, ::1, localhost), where the Emulator listens. */
export function isLoopbackUrl(value: string): boolean {
  let host: string;
  try {
    host = new URL(value).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '::1') return true;
  const mapped = host.replace(/^::ffff:/, '');
  return isIP(mapped) === 4 && mapped.startsWith('127.');
}

/**
 * Local mode (no app id, development only) authenticates nobody, and the bot replies by POSTing to the
 * activity's `serviceUrl`: anyone who reaches the port could make it POST to an internal address (blind
 * SSRF, pen test M4). Only a loopback `serviceUrl` is taken there; with an app id the token's
 * `serviceurl` claim binds it instead. Runs after the envelope check, so `serviceUrl` is a string.
 */
export const loopbackServiceUrlOnly: RequestHandler = (req, res, next) => {
  const serviceUrl = (req.body as { serviceUrl?: unknown }).serviceUrl;
  if (typeof serviceUrl === 'string' && isLoopbackUrl(serviceUrl)) return next();
  sendProblem(res, 'SG-AUTH-LOCAL-SERVICE-URL', 'Local mode replies only to a channel on this machine (set MicrosoftAppId for a real channel).');
};
