import type { CloudAdapter, Request } from '@microsoft/agents-hosting';
import type { JWTPayload } from 'jose';
import type { AdapterSettings } from './createAdapter';
import { channelActivityBody } from './outgoingActivity';
import { botFrameworkOpenIdMetadataUrl, channelKeys, verifyChannelToken } from './channelToken';
import type { SafeguardingBot } from './safeguardingBot';

/**
 * What the HTTP layer needs of the channel SDK, with the SDK's types kept inside `bot/` (issue 19
 * item 11): the move from botbuilder to the Agents SDK changed this folder only.
 */

/** The parts of an HTTP request and response the adapter reads and writes (express's fit). */
export interface ChannelRequest {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  method?: string;
}
export interface ChannelResponse {
  status(code: number): this;
  setHeader(name: string, value: string): unknown;
  send(body?: unknown): this;
  end(): this;
  headersSent: boolean;
  writableEnded: boolean;
}

/**
 * Whether the adapter answered the request. Otherwise nothing ran and nothing was answered: `invalid`, the
 * SDK's activity schema refused the body (a 400 for the HTTP layer); `not-started`, a failure before the
 * turn began (the SDK fetches the bot's own token for replies first), a 503 the channel may retry.
 */
export type MessagesOutcome = { answered: true } | { answered: false; reason: 'invalid' | 'not-started'; error: unknown };

/** The SDK validates activities with zod (its own copy): a refusal is a ZodError with the issues found. */
const isSchemaRefusal = (error: unknown) => error instanceof Error && error.name === 'ZodError';

/** `POST /api/messages`: runs one Bot Framework activity through the adapter and the bot. */
export type MessagesEndpoint = (req: ChannelRequest, res: ChannelResponse, identity?: ChannelIdentity) => Promise<MessagesOutcome>;

/** The verified claims of the channel's token: the adapter answers with the app's credentials when present. */
export type ChannelIdentity = JWTPayload;

export function messagesEndpoint(adapter: CloudAdapter, bot: SafeguardingBot): MessagesEndpoint {
  return async (req, res, identity) => {
    // The SDK reads the caller's identity from `user`, which its own middleware would set; ours (the
    // gate) verified the token, so only its claims are passed, never anything the client sent.
    const request: Request = { body: channelActivityBody(req.body), headers: req.headers, method: req.method, user: identity };
    let began = false;
    try {
      await adapter.process(request, res as Parameters<CloudAdapter['process']>[1], (context) => {
        began = true;
        return bot.run(context);
      });
      return { answered: true };
    } catch (error) {
      if (began || res.headersSent) throw error;
      return { answered: false, reason: isSchemaRefusal(error) ? 'invalid' : 'not-started', error };
    }
  };
}

/** The outcome of checking a channel's JWT, for the HTTP layer to answer (401, 503 with Retry-After). */
export type ChannelTokenVerdict = { ok: true; identity: ChannelIdentity } | { ok: false; reason: 'invalid' | 'no-exp' | 'keys-unavailable'; error?: string };

export type ChannelTokenCheck = (activity: unknown, authorization: string) => Promise<ChannelTokenVerdict>;

/**
 * Checks a Bot Framework JWT against the channel's published keys (BOT_OPENID_METADATA_URL, or the Bot
 * Framework's). Ours, not the SDK's `authorizeJWT`: that one takes the key set from a built-in URL per
 * issuer and cannot be pointed at other metadata, and it answers 401 for keys it cannot fetch, where a
 * channel should hear 503 and retry (README "Channel authentication").
 */
export function channelTokenCheck(settings: AdapterSettings): ChannelTokenCheck {
  const verify = verifyChannelToken(settings.MicrosoftAppId, channelKeys(settings.BOT_OPENID_METADATA_URL ?? botFrameworkOpenIdMetadataUrl));
  return async (activity, authorization) => {
    const result = await verify(activity ?? {}, authorization);
    return result.ok ? { ok: true, identity: result.claims } : result;
  };
}
