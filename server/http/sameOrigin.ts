import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

/**
 * Cross-site requests are refused: the SameSite=Strict cookie already stops them carrying a session,
 * and this also stops a hostile page signing someone in as somebody else (login CSRF). Browsers send
 * Sec-Fetch-Site; older ones send Origin; non-browser clients send neither and have no cookie to abuse.
 */
export const sameOrigin: RequestHandler = (req, res, next) => {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const ok = site ? site === 'same-origin' : !origin || origin === `${req.protocol}://${req.get('host')}`;
  if (ok) return next();
  sendProblem(res, 'SG-AUTH-CROSS-ORIGIN', 'Open this page from this site.');
};
