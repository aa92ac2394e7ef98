import { ActivityHandler, ActivityTypes, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnInput, TurnMeta } from '../flows';
import { storageKeyOf } from '../integrations';
import type { ConversationTurns } from './conversationTurns';
import { renderActivity } from './renderActivity';

export interface SafeguardingBotOptions {
  turns: ConversationTurns;
  logger: Logger;
  now?: () => Date;
}

const sorry =
  'Sorry, something went wrong on our side and I could not save your answer. Please try again in a minute. ' +
  'If a child is in immediate danger, call 999 now.';

/** Card submits carry `{ questionId, turnId, answer }` (Action.Submit data or Action.Execute data). */
function submittedAnswer(data: unknown): TurnInput | undefined {
  if (typeof data !== 'object' || data === null || !('answer' in data)) return undefined;
  const { questionId, turnId, answer } = data as { questionId?: unknown; turnId?: unknown; answer: unknown };
  return {
    kind: 'submit',
    answer,
    questionId: typeof questionId === 'string' ? questionId : undefined,
    turnId: typeof turnId === 'number' ? turnId : undefined,
  };
}

/**
 * Translates Bot Framework activities into turn inputs and turn outputs back into activities. The same
 * translation serves Teams and web chat; Teams-only details live in their own files.
 */
export class SafeguardingBot extends ActivityHandler {
  private readonly options: SafeguardingBotOptions;

  constructor(options: SafeguardingBotOptions) {
    super();
    this.options = options;

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const people = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (people.length > 0) await this.runTurn(context, { kind: 'start' });
      await next();
    });

    this.onMessage(async (context, next) => {
      const submitted = submittedAnswer(context.activity.value);
      const input: TurnInput = submitted ?? { kind: 'text', text: context.activity.text ?? '' };
      await this.runTurn(context, input);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const data = (context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data;
    const input = submittedAnswer(data);
    if (!input) return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'No answer in the card action.' } } };
    await this.runTurn(context, input);
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Answer received.' } };
  }

  private async runTurn(context: TurnContext, input: TurnInput): Promise<void> {
    const { activity } = context;
    const conversation = storageKeyOf(activity.conversation.id);
    const meta: TurnMeta = {
      channelId: activity.channelId,
      userId: activity.from?.id ?? 'unknown',
      userName: activity.from?.name,
      conversationKey: conversation,
      now: this.options.now?.() ?? new Date(),
    };
    const started = Date.now();
    try {
      const outcome = await this.options.turns.run(activity.conversation.id, input, meta);
      await context.sendActivities(outcome.messages.map((m) => renderActivity(m, activity.from?.id)));
      this.options.logger.info(
        { conversation, channel: meta.channelId, input: input.kind, replies: outcome.messages.length, attempts: outcome.attempts, ms: Date.now() - started },
        'turn',
      );
    } catch (error) {
      this.options.logger.error({ conversation, channel: meta.channelId, err: error }, 'turn failed');
      await context.sendActivity({ type: ActivityTypes.Message, text: sorry }).catch(() => undefined);
    }
  }
}
