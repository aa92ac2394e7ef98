import type { FakeConnector } from './fakeConnector';

type Json = Record<string, any>;

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
export function cardIn(activity: Json): Json {
  const attachment = (activity.attachments ?? []).find((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
}

/** Every Action.Execute of a card: its own actions and those of ActionSets in its body. */
export function actionsIn(card: Json): CardAction[] {
  const inBody = (card.body ?? []).flatMap((e: Json) => (e.type === 'ActionSet' ? e.actions : []));
  return [...inBody, ...(card.actions ?? [])].filter((a: Json) => a.type === 'Action.Execute');
}

/** A card is live while it has something to click or fill in. */
export function isLive(card: Json): boolean {
  return actionsIn(card).length > 0 || (card.body ?? []).some((e: Json) => String(e.type).startsWith('Input.'));
}

/**
 * A professional in a Teams personal chat with the bot, posting what Teams posts to /api/messages:
 * `msteams` activities with Teams ids, tenant and a personal conversation, and `adaptiveCard/action`
 * invokes whose HTTP response is the updated card.
 */
export function teamsClient(serviceUrl: () => string, connector: FakeConnector, conversationId: string) {
  const user = { id: `29:user-${conversationId}`, name: 'Test Nurse', aadObjectId: '6b5f4c3e-0000-4000-8000-000000000002' };
  const post = async (activity: Json) => {
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
    const body: Json | undefined = text ? JSON.parse(text) : undefined;
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
    press(card: Json, answer: string) {
      const button = actionsIn(card).find((a) => a.data.answer === answer);
      if (!button) throw new Error(`no button answering "${answer}" among ${JSON.stringify(actionsIn(card).map((a) => a.data.answer))}`);
      return invoke(button);
    },
    /** Fills the card's input with `value` and presses Send: Teams merges the input into data by its id. */
    fill(card: Json, value: string) {
      const input = (card.body ?? []).find((e: Json) => String(e.type).startsWith('Input.'));
      const send = actionsIn(card).find((a) => a.data.answer === undefined);
      if (!input || !send) throw new Error('no input and Send button on this card');
      return invoke({ ...send, data: { ...send.data, [input.id]: value } });
    },
    /** Ticks the choice set's choices at `indexes` (Teams sends them as "a,b"). */
    tick(card: Json, indexes: number[]) {
      const set = (card.body ?? []).find((e: Json) => e.type === 'Input.ChoiceSet');
      if (!set) throw new Error('no choice set on this card');
      return this.fill(card, indexes.map((i) => set.choices[i].value).join(','));
    },
  };
}

export type TeamsClient = ReturnType<typeof teamsClient>;
