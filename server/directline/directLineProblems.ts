import type { Response } from 'express';

/**
 * Direct Line's own refusals, in the same RFC 9457 shape as `sendProblem`. They live here until the
 * shared catalogue in flows/errors.ts takes them (that file is another change's to edit).
 */
export const directLineErrors = {
  'SG-DL-UNAUTHENTICATED': { status: 401, title: 'A Direct Line token or secret is required' },
  'SG-DL-FORBIDDEN': { status: 403, title: 'The Direct Line token is not valid for this request' },
  'SG-DL-UNSUPPORTED-MEDIA': { status: 415, title: 'This chat cannot take files' },
  'SG-DL-RATE-LIMITED': { status: 429, title: 'Too many messages in a short time' },
} as const;

export type DirectLineErrorCode = keyof typeof directLineErrors;

export function sendDirectLineProblem(res: Response, code: DirectLineErrorCode, detail: string): void {
  const { status, title } = directLineErrors[code];
  if (status === 401) res.set('WWW-Authenticate', 'Bearer');
  res.status(status).type('application/problem+json').json({ type: `urn:safeguarding-bot:error:${code}`, title, status, code, detail });
}
