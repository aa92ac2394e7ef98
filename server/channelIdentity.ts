import type { RequestHandler } from 'express';
import type { Logger } from './logger';
import { sendProblem } from './http';

export interface ChannelIdentityOptions {
  /** Production takes Teams only; development and tests also take the Bot Framework Emulator. */
  production: boolean;
  /** BOT_TENANT_IDS: Entra tenants whose Teams activities are taken; empty: any tenant (refused in production by config). */
  tenantIds: readonly string[];
  logger: Logger;
}

/** The Bot Framework channels `/api/messages` serves; the self-hosted web chat (`webchat`) has its own endpoint. */
export function allowedChannelIds(production: boolean): readonly string[] {
  return production ? ['msteams'] : ['msteams', 'emulator'];
}

function tenantOf(body: unknown): string | undefined {
  const id = (body as { channelData?: { tenant?: { id?: unknown } } } | undefined)?.channelData?.tenant?.id;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/**
 * Who may speak on `/api/messages` (pen test M3). Owner keys are `channelId + from.id`, and on this
 * endpoint the token vouches for the connector, not for `from.id`: a Bot Framework channel named
 * `webchat` (or `directline`) lets its caller choose both, and so read the "my referrals" of a web chat
 * professional. Only Teams (whose `from.aadObjectId` the connector sets) and, outside production, the
 * Emulator are taken; Teams activities must come from an allow-listed tenant. Runs after the envelope
 * check (the body is an activity) and before the token check and the turn.
 */
export function channelIdentityGate({ production, tenantIds, logger }: ChannelIdentityOptions): RequestHandler {
  const channels = new Set(allowedChannelIds(production));
  const tenants = new Set(tenantIds.map((t) => t.toLowerCase()));
  return (req, res, next) => {
    const channelId = String((req.body as { channelId?: unknown }).channelId);
    if (!channels.has(channelId)) {
      logger.info({ reason: 'channel' }, 'api/messages: channel not allowed');
      return sendProblem(res, 'SG-AUTH-CHANNEL-NOT-ALLOWED', `Only ${[...channels].join(' and ')} may post here.`);
    }
    if (tenants.size && channelId === 'msteams') {
      const tenant = tenantOf(req.body);
      if (!tenant || !tenants.has(tenant)) {
        logger.info({ reason: 'tenant' }, 'api/messages: tenant not allowed');
        return sendProblem(res, 'SG-AUTH-CHANNEL-NOT-ALLOWED', 'This Microsoft 365 organisation is not served by this bot.');
      }
    }
    next();
  };
}
