import { z } from 'zod';
import { classifyFailure, classifyResponse, parseRetryAfter } from './mashOutcome';

const nowMs = Date.parse('2025-06-15T10:00:00Z');
const answer = z.object({ id: z.string() });
const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', nowMs)).toBe(120_000);
    expect(parseRetryAfter('Sun, 15 Jun 2025 10:00:30 GMT', nowMs)).toBe(30_000);
    expect(parseRetryAfter('Sun, 15 Jun 2025 09:00:00 GMT', nowMs)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, nowMs)).toBeUndefined();
    expect(parseRetryAfter('soon', nowMs)).toBeUndefined();
    expect(parseRetryAfter('-5', nowMs)).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  it('delivered: 201 and 200 (a replay) with a body that matches the contract', async () => {
    expect(await classifyResponse(respond(201, { id: 'a' }), answer, nowMs)).toEqual({ kind: 'delivered', status: 201, body: { id: 'a' } });
    expect(await classifyResponse(respond(200, { id: 'a' }), answer, nowMs)).toEqual({ kind: 'delivered', status: 200, body: { id: 'a' } });
  });

  it('retryable: a success whose body breaks the contract (the key makes a retry a replay)', async () => {
    expect(await classifyResponse(respond(201, { nope: 1 }), answer, nowMs)).toMatchObject({ kind: 'retryable', status: 201 });
  });

  it('permanent: 400 with the problem errors, 422, 404', async () => {
    const problem = { title: 'invalid', status: 400, errors: [{ path: 'child.nhsNumber', message: 'fails the NHS number check digit' }] };
    expect(await classifyResponse(respond(400, problem, { 'content-type': 'application/problem+json' }), answer, nowMs)).toEqual({
      kind: 'permanent',
      status: 400,
      reason: 'the MASH found the request invalid (400): child.nhsNumber',
      errors: problem.errors,
    });
    expect(await classifyResponse(respond(422, { title: 'conflict' }), answer, nowMs)).toMatchObject({ kind: 'permanent', status: 422 });
    expect(await classifyResponse(respond(404, undefined), answer, nowMs)).toMatchObject({ kind: 'permanent', status: 404 });
  });

  it('retryable with Retry-After: 429 and 503, in seconds or as a date', async () => {
    expect(await classifyResponse(respond(429, undefined, { 'retry-after': '7' }), answer, nowMs)).toEqual({
      kind: 'retryable',
      status: 429,
      reason: 'the MASH answered 429',
      retryAfterMs: 7000,
    });
    expect(await classifyResponse(respond(503, undefined, { 'retry-after': 'Sun, 15 Jun 2025 10:01:00 GMT' }), answer, nowMs)).toMatchObject({ retryAfterMs: 60_000 });
  });

  it.each([500, 502, 504, 401, 403, 409])('retryable: %i', async (status) => {
    expect(await classifyResponse(respond(status, undefined), answer, nowMs)).toMatchObject({ kind: 'retryable', status });
  });
});

describe('classifyFailure', () => {
  it('treats timeouts and network errors as retryable, naming only the error code', () => {
    expect(classifyFailure(new DOMException('timed out', 'TimeoutError'))).toEqual({ kind: 'retryable', reason: 'no answer from the MASH in time' });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(classifyFailure(reset)).toEqual({ kind: 'retryable', reason: 'could not reach the MASH (ECONNRESET)' });
  });
});
