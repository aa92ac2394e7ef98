import type { z } from 'zod';
import { problemSchema, type ProblemError } from '../../flows';

/**
 * What one call to the MASH came to. `delivered`: the MASH has it (a `200` replay counts: same key,
 * same body). `permanent`: sending it again cannot help; a person must look. `retryable`: try again
 * later with the same Idempotency-Key, not before `retryAfterMs`. Reasons carry status codes and field
 * paths only, never values, so they can be logged.
 */
export type MashOutcome<T> = { kind: 'delivered'; status: number; body: T } | MashFailure;

/**
 * `code` names a failure the service answers differently: `schema-version` is a referral that needs a
 * newer contract version than this MASH takes, never sent (a person must phone it through).
 */
export type PermanentFailure = { kind: 'permanent'; status?: number; reason: string; errors?: ProblemError[]; code?: 'schema-version' };
export type RetryableFailure = { kind: 'retryable'; status?: number; reason: string; retryAfterMs?: number };
export type MashFailure = PermanentFailure | RetryableFailure;

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the day's name; Date.parse would also take "-5" as a year.
  const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function permanentOf(status: number, json: unknown): PermanentFailure {
  const problem = problemSchema.safeParse(json);
  const errors = problem.success ? problem.data.errors : undefined;
  const where = errors?.length ? `: ${errors.map((e) => e.path).join(', ')}` : '';
  const reasons: Record<number, string> = {
    400: `the MASH found the request invalid (400)${where}`,
    404: 'the MASH does not know this referral (404)',
    422: 'the MASH already holds a different request under this Idempotency-Key (422)',
  };
  return { kind: 'permanent', status, reason: reasons[status] ?? `the MASH refused the request (${status})`, ...(errors ? { errors } : {}) };
}

/**
 * 401/403 are retryable: the request is fine and our credentials are not (the client has already
 * fetched a new token once), so an operator fixing them within the retry budget still gets it through.
 * 409 is retryable: with idempotency keys it means "the first request with this key is still running".
 */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || [401, 403, 408, 409, 425, 429].includes(status);
}

/** Turns an HTTP answer into an outcome, parsing a success body with the contract's schema. */
export async function classifyResponse<T>(response: Response, schema: z.ZodType<T>, nowMs: number): Promise<MashOutcome<T>> {
  const json = await readJson(response);
  const { status } = response;
  if (status === 200 || status === 201) {
    const parsed = schema.safeParse(json);
    // Safe to retry: the same Idempotency-Key makes the MASH replay its answer rather than file again.
    if (!parsed.success) return { kind: 'retryable', status, reason: `the MASH answered ${status} with a body that does not match the contract` };
    return { kind: 'delivered', status, body: parsed.data };
  }
  // Redirects are never followed (the client asks fetch for 'manual'): the body is a child's referral and
  // the header a bearer token, and a redirect may point anywhere (pen test M5). Retried like a 5xx, so an
  // operator who corrects MASH_INTAKE_URL within the retry budget still gets it through; the target is not logged.
  if (status >= 300 && status < 400) return { kind: 'retryable', status, reason: `the MASH answered a redirect (${status}), which is never followed` };
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    return { kind: 'retryable', status, reason: `the MASH answered ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return permanentOf(status, json);
}

/** A request that got no answer: refused, reset, dropped or timed out. The MASH may or may not have it. */
export function classifyFailure(error: unknown): RetryableFailure {
  const err = error as { name?: string; code?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'retryable', reason: 'no answer from the MASH in time' };
  const code = err?.cause?.code ?? err?.code ?? err?.name ?? 'unknown';
  return { kind: 'retryable', reason: `could not reach the MASH (${code})` };
}
