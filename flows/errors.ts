/**
 * One catalogue of stable error codes for the whole service. Operators search logs and runbooks by
 * code, and the HTTP layer maps each code to an RFC 9457 problem type and status.
 */
export const errorCatalogue = {
  'SG-CONFIG-INVALID': { status: 500, title: 'Configuration is invalid' },
  'SG-CONTENT-INVALID': { status: 500, title: 'Content pack is invalid' },
  'SG-STORE-UNAVAILABLE': { status: 503, title: 'Conversation store is unavailable' },
  'SG-STORE-CORRUPT': { status: 500, title: 'A stored record could not be read' },
  'SG-STORE-RESET': { status: 500, title: 'The store was reset: data written before it may be lost' },
  'SG-STORE-UNSAFE': { status: 500, title: 'The store is not configured to keep data safely' },
  'SG-STORE-CONFLICT': { status: 409, title: 'The conversation changed while this turn ran' },
  'SG-CRYPTO-KEY': { status: 500, title: 'Encryption key is missing or invalid' },
  'SG-CRYPTO-DECRYPT': { status: 500, title: 'A stored record could not be decrypted' },
  'SG-HTTP-BODY-TOO-LARGE': { status: 413, title: 'Request body is too large' },
  'SG-HTTP-BAD-JSON': { status: 400, title: 'Request body is not valid JSON' },
  'SG-HTTP-BAD-REQUEST': { status: 400, title: 'Request is not valid' },
  'SG-HTTP-NOT-FOUND': { status: 404, title: 'Not found' },
  'SG-HTTP-CONFLICT': { status: 409, title: 'Already done' },
  'SG-SHUTTING-DOWN': { status: 503, title: 'Service is shutting down' },
  'SG-VALIDATION-REFERRAL': { status: 400, title: 'Referral is not valid for the MASH intake contract' },
  'SG-VALIDATION-INTELLIGENCE': { status: 400, title: 'Intelligence is not valid for the MASH intake contract' },
  'SG-MASH-UNAVAILABLE': { status: 502, title: 'MASH intake API is unavailable' },
  'SG-MASH-REJECTED': { status: 502, title: 'MASH intake API rejected the request' },
  'SG-MASH-SIGNATURE': { status: 401, title: 'MASH event signature is missing, wrong or stale' },
  'SG-MASH-BAD-EVENT': { status: 400, title: 'MASH event is not valid' },
  'SG-OUTBOX-UNAVAILABLE': { status: 503, title: 'Outbox is unavailable' },
  'SG-OUTBOX-CORRUPT': { status: 500, title: 'An outbox item could not be read' },
  'SG-OUTBOX-INVALID-ENTRY': { status: 500, title: 'An outbox entry is not valid' },
  'SG-DL-UNAUTHENTICATED': { status: 401, title: 'A Direct Line token or secret is required' },
  'SG-DL-FORBIDDEN': { status: 403, title: 'The Direct Line token is not valid for this request' },
  'SG-DL-UNSUPPORTED-MEDIA': { status: 415, title: 'This chat cannot take files' },
  'SG-DL-RATE-LIMITED': { status: 429, title: 'Too many messages in a short time' },
  'SG-RATE-LIMITED': { status: 429, title: 'Too many requests in a short time' },
  'SG-AUTH-UNAUTHENTICATED': { status: 401, title: 'Sign in to continue' },
  'SG-AUTH-FORBIDDEN': { status: 403, title: 'Your account does not have the role this needs' },
  'SG-AUTH-CROSS-ORIGIN': { status: 403, title: 'Requests must come from this site' },
  'SG-AUTH-LOCAL-SERVICE-URL': { status: 403, title: 'Without an app id the bot only replies to a loopback serviceUrl' },
  'SG-AUTH-SSO-INVALID': { status: 401, title: 'The Teams sign-in token is not valid' },
  'SG-AUTH-SSO-OFF': { status: 404, title: 'Teams single sign-on is not configured' },
  'SG-AUTH-CHANNEL-INVALID': { status: 401, title: 'A valid Bot Framework token is required' },
  'SG-AUTH-CHANNEL-KEYS-UNAVAILABLE': { status: 503, title: 'The Bot Framework signing keys cannot be fetched just now' },
  'SG-CHANNEL-REPLY-UNAVAILABLE': { status: 503, title: 'The bot cannot answer on this channel just now' },
  'SG-AUTH-CHANNEL-NOT-ALLOWED': { status: 403, title: 'This channel or tenant may not talk to the bot here' },
  'SG-HANDOFF-TAKEN': { status: 409, title: 'Another coordinator has already claimed this handoff' },
  'SG-INTERNAL': { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** An expected failure with a stable code; `detail` must never contain personal data. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'DomainError';
    this.code = code;
    this.detail = detail;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get title(): string {
    return errorCatalogue[this.code].title;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
