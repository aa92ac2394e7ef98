import { createHash } from 'node:crypto';

/**
 * Our reference for a submission: also the outbox id and the MASH `Idempotency-Key`, so the same answers
 * at the same time in the same conversation give the same reference (a replayed or retried turn files
 * nothing twice) and anything else gives another. SHA-256 rather than a short hash because the answers
 * include names and the reference is written to the audit log: it must not be reversible by guessing.
 */
export function clientReferenceOf(prefix: string, parts: { answers: unknown; at?: string; ref?: string; counter: number }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.answers, parts.at ?? '', parts.ref ?? '', parts.counter]))
    .digest('hex');
  return `${prefix}-${digest.slice(0, 12).toUpperCase()}`;
}
