import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed timestamp may be from our clock either way: bounds replay of a captured event. */
export const signatureToleranceSeconds = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'bad-timestamp' | 'stale' | 'future' | 'bad-signature' };

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`): what the MASH puts in X-MASH-Signature. */
export function signMashEvent(rawBody: string | Buffer, timestamp: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

/**
 * Checks a MASH status event before anything reads it. The signature covers the raw bytes (parse and
 * re-serialise would change them), the compare is constant-time so the signature cannot be guessed a
 * byte at a time, and the timestamp must be within 5 minutes of `nowMs` so a captured event cannot be
 * replayed later.
 */
export function verifyMashSignature(
  rawBody: string | Buffer,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  secret: string,
  nowMs: number,
): SignatureCheck {
  if (!timestampHeader || !signatureHeader || !secret) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'bad-timestamp' };
  const skew = Math.floor(nowMs / 1000) - Number(timestampHeader);
  if (skew > signatureToleranceSeconds) return { ok: false, reason: 'stale' };
  if (skew < -signatureToleranceSeconds) return { ok: false, reason: 'future' };
  const expected = Buffer.from(signMashEvent(rawBody, timestampHeader, secret));
  const given = Buffer.from(signatureHeader.trim().toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  return { ok: true };
}
