import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, type BotFrameworkAuthentication } from 'botframework-connector';
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
 * How tokens from the channel are checked (botbuilder's own validation). Setting the metadata URL makes
 * botbuilder take every endpoint from the settings, so the public cloud's values are given with it.
 */
export function createChannelAuthentication(settings: AdapterSettings): BotFrameworkAuthentication {
  const app = {
    MicrosoftAppId: settings.MicrosoftAppId,
    MicrosoftAppPassword: settings.MicrosoftAppPassword,
    MicrosoftAppTenantId: settings.MicrosoftAppTenantId,
    MicrosoftAppType: settings.MicrosoftAppType,
  };
  if (!settings.BOT_OPENID_METADATA_URL) return new ConfigurationBotFrameworkAuthentication(app);
  return new ConfigurationBotFrameworkAuthentication({
    ...app,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: settings.BOT_OPENID_METADATA_URL,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
}

/**
 * botbuilder's CloudAdapter with the Bot Framework settings. With an app id, every request to
 * /api/messages must carry a valid channel JWT (botbuilder validates it); with none, it runs in local
 * mode for the Emulator and tests, which config refuses in production. A turn that throws past the bot
 * gets the pack's `turn-failed` apology (the pack is loaded before any turn can run).
 */
export function createAdapter(
  settings: AdapterSettings,
  logger: Logger,
  words: ServiceWords,
  auth: BotFrameworkAuthentication = createChannelAuthentication(settings),
): CloudAdapter {
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'unhandled turn error');
    if (context.activity.type === 'message') {
      await context.sendActivity(words('turn-failed')).catch(() => undefined);
    }
  };
  return adapter;
}
