import type { z } from 'zod';
import {
  DomainError,
  intelligenceBodySchema,
  intelligenceReceiptSchema,
  messageReceiptSchema,
  problemErrorsOf,
  referralBodySchema,
  referralMessageSchema,
  referralReceiptSchema,
  referralStatusSchema,
  type IntelligenceBody,
  type IntelligenceReceipt,
  type MessageReceipt,
  type ReferralBody,
  type ReferralMessage,
  type ReferralReceipt,
  type ReferralSchemaVersion,
  type ReferralStatus,
} from '../../flows';
import { createTokenProvider, type MashAuth, type TokenProvider } from './mashAuth';
import { classifyFailure, classifyResponse, type MashOutcome, type PermanentFailure } from './mashOutcome';

export interface MashClientOptions {
  /** `MASH_INTAKE_URL`, e.g. https://mash.example.gov.uk/intake/v1 */
  baseUrl: string;
  auth: MashAuth;
  fetch?: typeof fetch;
  /** Per request; a MASH that has not answered by then is treated as unreachable (and retried). */
  timeoutMs?: number;
  now?: () => number;
  /** `MASH_SCHEMA_VERSION`: the newest referral schema version the MASH takes. Default "1". */
  schemaVersion?: ReferralSchemaVersion;
}

/** The MASH intake API. Every call returns an outcome instead of throwing, so the outbox can decide. */
export interface MashClient {
  submitReferral(body: ReferralBody, idempotencyKey: string): Promise<MashOutcome<ReferralReceipt>>;
  getReferral(referralId: string): Promise<MashOutcome<ReferralStatus>>;
  postMessage(referralId: string, message: ReferralMessage, idempotencyKey: string): Promise<MashOutcome<MessageReceipt>>;
  postIntelligence(body: IntelligenceBody, idempotencyKey: string): Promise<MashOutcome<IntelligenceReceipt>>;
}

interface Call<T> {
  method: 'GET' | 'POST';
  path: string[];
  body?: unknown;
  idempotencyKey?: string;
  answer: z.ZodType<T>;
}

function urlOf(baseUrl: string, segments: string[]): string {
  return `${baseUrl.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
}

/** Checks what we send against the contract first: a request the MASH must refuse is not worth sending. */
function invalidRequest(schema: z.ZodType, body: unknown, what: string): PermanentFailure | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const errors = problemErrorsOf(parsed.error);
  return { kind: 'permanent', reason: `the ${what} does not match the MASH contract: ${errors.map((e) => e.path).join(', ')}`, errors };
}

function tooNew(needs: string, takes: string): PermanentFailure {
  return { kind: 'permanent', code: 'schema-version', reason: `the referral needs MASH schema version ${needs}; this MASH takes version ${takes} (MASH_SCHEMA_VERSION)` };
}

/**
 * A client for the MASH intake API with a static token or OAuth2 client credentials. Request bodies
 * are checked against the contract before sending; answers are parsed with it on the way back.
 */
export function createMashClient(options: MashClientOptions): MashClient {
  if (!/^https?:\/\//.test(options.baseUrl)) throw new DomainError('SG-CONFIG-INVALID', 'MASH_INTAKE_URL must be an http(s) URL');
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  const tokens: TokenProvider = createTokenProvider(options.auth, { fetch: fetchFn, timeoutMs, now });

  async function send<T>(call: Call<T>, token: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json, application/problem+json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    return fetchFn(urlOf(options.baseUrl, call.path), {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: 'manual', // a 3xx is a failure (mashOutcome), never a second request carrying the referral
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /** One request; on a 401 with OAuth2, one more with a freshly fetched token (the old one was revoked or expired early). */
  async function call<T>(request: Call<T>): Promise<MashOutcome<T>> {
    try {
      let token = await tokens.token();
      if (!token.ok) return token.outcome;
      let response = await send(request, token.token);
      if (response.status === 401 && tokens.invalidate(token.token)) {
        await response.body?.cancel();
        token = await tokens.token();
        if (!token.ok) return token.outcome;
        response = await send(request, token.token);
      }
      return await classifyResponse(response, request.answer, now());
    } catch (error) {
      return classifyFailure(error);
    }
  }

  const schemaVersion = options.schemaVersion ?? '1';

  return {
    async submitReferral(body, idempotencyKey) {
      // Never send a body the MASH cannot take: a v1 MASH refuses every v2 field and value, and
      // inventing a screening to make one fit would tell the MASH something nobody found.
      if (Number(body.schemaVersion) > Number(schemaVersion)) return tooNew(body.schemaVersion, schemaVersion);
      const invalid = invalidRequest(referralBodySchema, body, 'referral');
      return invalid ?? call({ method: 'POST', path: ['referrals'], body, idempotencyKey, answer: referralReceiptSchema });
    },
    getReferral(referralId) {
      return call({ method: 'GET', path: ['referrals', referralId], answer: referralStatusSchema });
    },
    async postMessage(referralId, message, idempotencyKey) {
      const invalid = invalidRequest(referralMessageSchema, message, 'message');
      return invalid ?? call({ method: 'POST', path: ['referrals', referralId, 'messages'], body: message, idempotencyKey, answer: messageReceiptSchema });
    },
    async postIntelligence(body, idempotencyKey) {
      const invalid = invalidRequest(intelligenceBodySchema, body, 'intelligence');
      return invalid ?? call({ method: 'POST', path: ['intelligence'], body, idempotencyKey, answer: intelligenceReceiptSchema });
    },
  };
}

/** For callers that cannot wait and retry (a coordinator view reading a status): the body, or a DomainError. */
export function deliveredOrThrow<T>(outcome: MashOutcome<T>): T {
  if (outcome.kind === 'delivered') return outcome.body;
  throw new DomainError(outcome.kind === 'permanent' ? 'SG-MASH-REJECTED' : 'SG-MASH-UNAVAILABLE', outcome.reason);
}
