import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that may carry personal data about a child or a professional. Our code logs ids and counts,
 * never message bodies; this list is the safety net for anything that slips through (including errors
 * from libraries that attach the request or activity they were handling).
 */
const personalFields = [
  'text',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'dateOfBirth',
  'dob',
  'nhsNumber',
  'upn',
  'address',
  'postcode',
  'email',
  'phone',
  'summary',
  'narrative',
  'answers',
  'value',
  'attachments',
  'token',
  'password',
  'authorization',
  'Authorization',
  'secret',
  'body',
];

export const redactPaths = [
  ...personalFields,
  ...personalFields.map((f) => `*.${f}`),
  ...personalFields.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'config.STATE_ENCRYPTION_KEY',
  'config.STATE_ENCRYPTION_KEYS',
  'config.MicrosoftAppPassword',
  'config.DIRECTLINE_SECRET',
  'config.DIRECTLINE_TOKEN_KEY',
  'config.MASH_API_TOKEN',
  'config.MASH_CLIENT_SECRET',
  'config.MASH_WEBHOOK_SECRET',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'safeguarding-bot' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
