import { AuthType, CloudAdapter, type AuthConfiguration, type TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { ServiceWords } from '../flows';

export interface AdapterSettings {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: string;
  /** Where channel tokens' signing keys are published; unset: the Bot Framework's own (public cloud). */
  BOT_OPENID_METADATA_URL?: string;
}

/**
 * The SDK's connection settings from our Bot Framework ones (the names botbuilder used, kept: they are a
 * contract). They serve outgoing calls only (the token the bot presents to the channel): incoming tokens
 * are checked by our own gate (bot/channelToken.ts, README "Channel authentication").
 */
export function authConfigurationOf(settings: AdapterSettings): AuthConfiguration {
  if (!settings.MicrosoftAppId) return { clientId: '' };
  if (settings.MicrosoftAppType === 'UserAssignedMSI')
    return { clientId: settings.MicrosoftAppId, authType: AuthType.UserManagedIdentity, tenantId: settings.MicrosoftAppTenantId };
  return {
    clientId: settings.MicrosoftAppId,
    clientSecret: settings.MicrosoftAppPassword,
    // A multi-tenant registration (botbuilder's default) gets tokens from botframework.com's tenant.
    tenantId: settings.MicrosoftAppType === 'SingleTenant' ? settings.MicrosoftAppTenantId : 'botframework.com',
  };
}

/**
 * The Agents SDK's CloudAdapter with the Bot Framework settings. With an app id, every request to
 * /api/messages has passed our channel-token gate first, which hands the adapter the verified claims;
 * with none, it runs in local mode for the Agents Playground and tests, which config refuses in
 * production. A turn that throws past the bot gets the pack's `turn-failed` apology (the pack is loaded
 * before any turn can run), not the SDK's developer message.
 */
export function createAdapter(settings: AdapterSettings, logger: Logger, words: ServiceWords): CloudAdapter {
  const adapter = new CloudAdapter(authConfigurationOf(settings));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'unhandled turn error');
    if (context.activity.type === 'message') {
      await context.sendActivity(words('turn-failed')).catch(() => undefined);
    }
  };
  return adapter;
}
