import type { CloudAdapter, Request, Response } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Activity } from 'botframework-schema';
import { decodeJwt } from 'jose';
import type { SafeguardingBot } from './safeguardingBot';

/**
 * What the HTTP layer needs of the Bot Framework, with the SDK's types kept inside `bot/` (issue 19
 * item 11): the move to the SDK's successor then changes this folder only.
 */

/** `POST /api/messages`: runs one Bot Framework activity through the adapter and the bot. */
export type MessagesEndpoint = (req: Request, res: Response) => Promise<void>;

export function messagesEndpoint(adapter: CloudAdapter, bot: SafeguardingBot): MessagesEndpoint {
  return (req, res) => adapter.process(req, res, (context) => bot.run(context));
}

/** The outcome of checking a channel's JWT, for the HTTP layer to answer (401, 503 with Retry-After). */
export type ChannelTokenVerdict = { ok: true } | { ok: false; reason: 'invalid' | 'no-exp' | 'keys-unavailable'; error?: string };

export type ChannelTokenCheck = (activity: unknown, authorization: string) => Promise<ChannelTokenVerdict>;

/**
 * The signing keys could not be had: the metadata or key endpoint was unreachable or answered an error.
 * botbuilder reports the first as a fetch error and the second as an AuthenticationError with 500.
 */
function keysUnavailable(error: unknown): boolean {
  const e = error as { name?: string; type?: string; statusCode?: number; code?: string };
  if (error instanceof AuthenticationError) return e.statusCode === 500;
  return e.name === 'FetchError' || e.type === 'system' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code));
}

/**
 * botbuilder accepts a correctly signed token without `exp` (pen test L4); the Bot Framework always sends
 * one, so a token without it is refused. Runs only after botbuilder verified the signature.
 */
function expires(authorization: string): boolean {
  try {
    return typeof decodeJwt(authorization.replace(/^Bearer\s+/i, '')).exp === 'number';
  } catch {
    return false;
  }
}

/**
 * Checks a Bot Framework JWT with the adapter's own authentication object (the same rules and cached
 * keys). botbuilder itself would answer 500 for a bad signature and for keys it cannot fetch; the
 * verdict tells the two apart so the HTTP layer can answer 401 and 503.
 */
export function channelTokenCheck(auth: BotFrameworkAuthentication): ChannelTokenCheck {
  return async (activity, authorization) => {
    try {
      await auth.authenticateRequest(activity as Activity, authorization);
    } catch (error) {
      const name = (error as Error).name;
      return { ok: false, reason: keysUnavailable(error) ? 'keys-unavailable' : 'invalid', error: name };
    }
    return expires(authorization) ? { ok: true } : { ok: false, reason: 'no-exp' };
  };
}
