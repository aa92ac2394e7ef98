import { createHash } from 'node:crypto';
import type { BaseAdapter, CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { OutgoingMessage } from '../flows';
import type { ConversationReferences, ReferenceOwner } from '../integrations';
import { toSdkReference, type StoredConversationReference } from './conversationReference';
import { forSending, type OutgoingActivity } from './outgoingActivity';
import { renderActivity } from './renderActivity';
import { webChatChannelId } from './directLineAdapter';
import { isTeamsChannel, renderTeamsActivity, type CardContext } from './teams';

export interface ProactiveNotifierOptions {
  cloudAdapter: CloudAdapter;
  /** MicrosoftAppId ('' in local mode). */
  appId: string;
  /** The in-process web chat adapter, for conversations that came through Direct Line. */
  webChatAdapter?: BaseAdapter;
  /** Stored references: the freshest way to reach the person, and where undeliverable updates go. */
  references?: ConversationReferences;
  /** Teams updates are Adaptive Cards when a card exists for the message. */
  cards?: CardContext;
  logger: Logger;
}

/** Teams (and the connector) answer 403 when the app was uninstalled or the bot blocked, 404 when the conversation is gone. */
function goneStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const status = [e?.statusCode, e?.status, e?.response?.status].find((s) => typeof s === 'number');
  return status === 403 || status === 404 ? status : undefined;
}

function ownerOf(reference: StoredConversationReference): ReferenceOwner | undefined {
  const user = reference.user;
  if (!reference.channelId || !user?.id) return undefined;
  return { channelId: reference.channelId, userId: user.id, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) };
}

/** The web list shows text only; the id makes a repeated callback add it once. */
function notificationOf(message: OutgoingMessage) {
  const value = (message.value ?? {}) as { clientReference?: unknown };
  return {
    id: createHash('sha256')
      .update(JSON.stringify([message.text, message.value ?? null]))
      .digest('hex')
      .slice(0, 24),
    at: new Date().toISOString(),
    text: message.text ?? '',
    ...(typeof value.clientReference === 'string' ? { clientReference: value.clientReference } : {}),
  };
}

/**
 * Tells a professional something later (their referral was delivered, the MASH decided) on whichever
 * channel they use, through their latest stored conversation reference (it survives restarts and is
 * shared by instances). A channel that says the conversation is gone (403/404) marks the reference dead
 * and the update goes to their web notification list instead of being retried forever. Returns false
 * whenever the update did not reach the chat, so the caller keeps it for "my referrals" (and a notice job
 * tries again), and 'listed' when the conversation is gone and the update went to the web list instead.
 */
export function createProactiveNotifier({ cloudAdapter, appId, webChatAdapter, references, cards, logger }: ProactiveNotifierOptions) {
  const render = (channelId: string | undefined, message: OutgoingMessage): OutgoingActivity =>
    isTeamsChannel(channelId) && cards ? renderTeamsActivity(message, cards) : renderActivity(message);

  /** The adapter hands errors thrown in the callback to onTurnError (which logs and swallows), so catch them here and rethrow after. */
  async function send(stored: StoredConversationReference, activity: OutgoingActivity): Promise<void> {
    // Stored references keep the protocol's `bot`; the SDK's name is `agent` (bot/conversationReference.ts).
    const reference = toSdkReference(stored);
    if (!reference) throw new Error('conversation reference without a conversation or channel');
    let failure: { error: unknown } | undefined;
    const logic = async (context: TurnContext) => {
      try {
        await context.sendActivity(forSending(activity));
      } catch (error) {
        failure = { error };
      }
    };
    // An identity object, not the bare app id: the SDK refuses an empty id, and local mode has one.
    if (reference.channelId === webChatChannelId && webChatAdapter) await webChatAdapter.continueConversation({ aud: appId }, reference, logic);
    else await cloudAdapter.continueConversation({ aud: appId }, reference, logic);
    if (failure) throw failure.error;
  }

  return async function notify(reference: StoredConversationReference, message: OutgoingMessage): Promise<boolean | 'listed'> {
    const owner = ownerOf(reference);
    const stored = owner && references ? await references.latest(owner) : undefined;
    if (owner && references && stored?.dead) {
      await references.addNotification(owner, notificationOf(message));
      return 'listed';
    }
    // The conversation the referral came from stays the target (a MASH question's answer is expected
    // there); the stored reference stands in when the caller has none (e.g. an older record).
    const target = reference.conversation?.id ? reference : ((stored?.reference as StoredConversationReference | undefined) ?? reference);
    try {
      await send(target, render(target.channelId, message));
      return true;
    } catch (err) {
      const gone = goneStatus(err);
      if (gone && owner && references) {
        await references.markDead(owner);
        await references.addNotification(owner, notificationOf(message));
        logger.warn({ channel: target.channelId, status: gone }, 'conversation gone: reference marked dead, update put on the web list');
        return 'listed';
      } else {
        logger.warn({ err, channel: target.channelId }, 'proactive message not delivered');
      }
      return false;
    }
  };
}

export type ProactiveNotifier = ReturnType<typeof createProactiveNotifier>;

/** The bot's hook: store each person's latest reference; a store failure never fails their turn. */
export function createReferenceRecorder(references: ConversationReferences, logger: Logger) {
  return async function rememberReference(reference: StoredConversationReference): Promise<void> {
    const owner = ownerOf(reference);
    if (!owner || !reference.conversation?.id) return;
    await references
      .remember(owner, reference as Record<string, unknown>)
      .catch((err: unknown) => logger.warn({ err, channel: owner.channelId }, 'conversation reference not stored'));
  };
}
