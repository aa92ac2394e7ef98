import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';

export interface AdapterSettings {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: string;
}

/**
 * botbuilder's CloudAdapter with the Bot Framework settings. With an app id, every request to
 * /api/messages must carry a valid channel JWT (botbuilder validates it); with none, it runs in local
 * mode for the Emulator and tests, which config refuses in production.
 */
export function createAdapter(settings: AdapterSettings, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.MicrosoftAppId,
    MicrosoftAppPassword: settings.MicrosoftAppPassword,
    MicrosoftAppTenantId: settings.MicrosoftAppTenantId,
    MicrosoftAppType: settings.MicrosoftAppType,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'unhandled turn error');
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong. If a child is in immediate danger, call 999 now.').catch(() => undefined);
    }
  };
  return adapter;
}
