import { z } from 'zod';
import type { CardActionJson, CardElement, CardJson, SentActivity } from './activities';
import type { FakeConnector } from './fakeConnector';
import { jsonAs } from './json';

/** What an invoke is answered with: the card updated in place (`value` is then the card), an error or a message. */
const invokeAnswer = z.looseObject({ statusCode: z.number(), type: z.string(), value: z.unknown() });
export type InvokeAnswer = z.infer<typeof invokeAnswer>;

let sequence = 0;
const tenant = { id: '72f988bf-0000-4000-8000-000000000001' };
const bot = { id: '28:00000000-0000-4000-8000-00000000b07', name: 'Safeguarding bot' };

/** An `Action.Execute` on a card, with the data Teams sends back (inputs merged in by id). */
export interface CardAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: { questionId: string; turnId: number; answer?: string };
  associatedInputs?: 'auto' | 'none';
}

/** The Adaptive Card of a Teams activity, or an error naming what came instead. */
export function cardIn(activity: SentActivity): CardJson {
  const attachment = (activity.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
}

/** Every Action.Execute of a card: its own actions and those of ActionSets in its body. */
export function actionsIn(card: CardJson): CardAction[] {
  const inBody = (card.body ?? []).flatMap((e) => (e.type === 'ActionSet' ? (e.actions ?? []) : []));
  return [...inBody, ...(card.actions ?? [])].filter(isExecute);
}

/** On a question card every Action.Execute is one of our answer buttons, whose data is an AnswerData. */
const isExecute = (action: CardActionJson): action is CardActionJson & CardAction => action.type === 'Action.Execute';

/** A card is live while it has something to click or fill in. */
export function isLive(card: CardJson): boolean {
  return actionsIn(card).length > 0 || (card.body ?? []).some((e) => String(e.type).startsWith('Input.'));
}

/**
 * A professional in a Teams personal chat with the bot, posting what Teams posts to /api/messages:
 * `msteams` activities with Teams ids, tenant and a personal conversation, and `adaptiveCard/action`
 * invokes whose HTTP response is the updated card.
 */
export function teamsClient(serviceUrl: () => string, connector: FakeConnector, conversationId: string) {
  const user = { id: `29:user-${conversationId}`, name: 'Test Nurse', aadObjectId: '6b5f4c3e-0000-4000-8000-000000000002' };
  const post = async (activity: Record<string, unknown>) => {
    const before = connector.forConversation(conversationId).length;
    const res = await fetch(`${serviceUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `teams-${++sequence}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: user,
        recipient: bot,
        conversation: { conversationType: 'personal', tenantId: tenant.id, id: conversationId },
        channelData: { tenant },
        locale: 'en-GB',
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    const text = await res.text();
    const body: InvokeAnswer | undefined = text ? jsonAs(text, invokeAnswer, 'the invoke answer') : undefined;
    return { status: res.status, body, replies: connector.forConversation(conversationId).slice(before) };
  };
  const invoke = (action: CardAction) =>
    post({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', id: action.title, verb: action.verb, data: action.data }, trigger: 'manual' } });
  return {
    post,
    invoke,
    /** Installing the app in personal scope adds the bot to the 1:1 chat. */
    install: () => post({ type: 'conversationUpdate', membersAdded: [bot] }),
    say: (text: string) => post({ type: 'message', text, textFormat: 'plain' }),
    /** Clicks the button whose answer is `answer`. */
    press(card: CardJson, answer: string) {
      const button = actionsIn(card).find((a) => a.data.answer === answer);
      if (!button) throw new Error(`no button answering "${answer}" among ${JSON.stringify(actionsIn(card).map((a) => a.data.answer))}`);
      return invoke(button);
    },
    /** Fills the card's input with `value` and presses Send: Teams merges the input into data by its id. */
    fill(card: CardJson, value: string) {
      const input = (card.body ?? []).find((e) => String(e.type).startsWith('Input.'));
      const send = actionsIn(card).find((a) => a.data.answer === undefined);
      if (!input?.id || !send) throw new Error('no input and Send button on this card');
      return invoke({ ...send, data: { ...send.data, [input.id]: value } });
    },
    /** Ticks the choice set's choices at `indexes` (Teams sends them as "a,b"). */
    tick(card: CardJson, indexes: number[]) {
      const set: CardElement | undefined = (card.body ?? []).find((e) => e.type === 'Input.ChoiceSet');
      if (!set?.choices) throw new Error('no choice set on this card');
      const { choices } = set;
      return this.fill(card, indexes.map((i) => choices[i].value).join(','));
    },
  };
}

export type TeamsClient = ReturnType<typeof teamsClient>;
