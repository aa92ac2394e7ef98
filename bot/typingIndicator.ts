import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Middleware, TurnContext } from '@microsoft/agents-hosting';

/**
 * A typing indicator while a message turn takes time: one after `delayMs`, then every `periodMs` until
 * the turn ends (what botbuilder's ShowTypingMiddleware did; the Agents SDK has it only inside
 * AgentApplication, which we do not use). Sent through the adapter directly, so it is never part of the
 * bot's replies.
 */
export function typingIndicator(delayMs: number, periodMs: number): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      if ((context.activity.type as ActivityTypes) !== ActivityTypes.Message) return next();
      const reference = context.activity.getConversationReference();
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const send = () => {
        if (finished) return;
        const typing = new Activity(ActivityTypes.Typing).applyConversationReference(reference);
        context.adapter.sendActivities(context, [typing]).catch(() => undefined);
        timer = setTimeout(send, periodMs);
      };
      timer = setTimeout(send, delayMs);
      try {
        await next();
      } finally {
        finished = true;
        clearTimeout(timer);
      }
    },
  };
}
