import { z } from 'zod';

/**
 * How a test reads JSON it did not build (an HTTP body, a file, a frame): `unknown` until parsed, and
 * parsed with a schema of what the test reads. The schemas are loose (keys they do not name are kept), so
 * `toEqual` and `toMatchObject` still see the whole body; a body of another shape fails the test here,
 * naming what is wrong, rather than as an undefined property three lines later.
 */
export function parsed<T>(value: unknown, schema: z.ZodType<T>, what = 'JSON'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`${what} is not what the test expects:\n${z.prettifyError(result.error)}\n${JSON.stringify(value)?.slice(0, 500)}`);
}

/** A response body, unparsed (fetch types `json()` as unknown too). */
export const bodyOf = (res: Response): Promise<unknown> => res.json();

/** A response body parsed with `schema`. */
export async function bodyAs<T>(res: Response, schema: z.ZodType<T>): Promise<T> {
  return parsed(await res.json(), schema, `the body of ${res.url || 'a response'} (${res.status})`);
}

/** `JSON.parse`, parsed with `schema`. */
export function jsonAs<T>(text: string, schema: z.ZodType<T>, what?: string): T {
  return parsed(JSON.parse(text), schema, what);
}

/** An RFC 9457 problem as our routes send it (server/http/problem.ts). */
export const problemBody = z.looseObject({ code: z.string(), detail: z.string().optional(), status: z.number().optional(), title: z.string().optional() });

/** A JSON object whose fields the test only compares, never reads one by one. */
export const anyObject = z.record(z.string(), z.unknown());
