import { Activity, ActivityEventNames, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import { BaseAdapter, TurnContext, type AttachmentData, type AttachmentInfo, type ResourceResponse } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { ServiceWords } from '../flows';
import { storageKeyOf, transcriptActivitySchema, type ProfessionalIdentity, type TranscriptActivity, type TranscriptEntry, type TranscriptStore } from '../integrations';
import { toSdkReference } from './conversationReference';
import { toActivity, type OutgoingActivity } from './outgoingActivity';
import { typingIndicator } from './typingIndicator';

/** Where the adapter tells the Direct Line endpoint that there is something to deliver. */
export interface TranscriptListener {
  /** New activities were stored for the conversation, as stored (live sockets get them without a read). */
  appended(conversationId: string, entries: TranscriptEntry[]): void;
  /** An activity only worth delivering now (typing): sent to a live socket, never stored. */
  ephemeral(conversationId: string, activity: TranscriptActivity): void;
}

export interface DirectLineAdapterOptions {
  transcripts: TranscriptStore;
  listener: TranscriptListener;
  logger: Logger;
  /** The pack's words: a turn that throws past the bot gets its `turn-failed` apology. */
  words: ServiceWords;
  now?: () => Date;
  /** Typing indicator timing: one once a turn has taken `delayMs`, then every `periodMs`. */
  typing?: { delayMs: number; periodMs: number };
}

/** The bot the Direct Line endpoint runs (SafeguardingBot, or a test's own). */
export interface WebChatBot {
  run(context: TurnContext): Promise<void>;
}

/** The signed-in professional behind a web chat turn, for flows that need the referrer's details. */
export const professionalKey = Symbol('safeguarding.professional');

export function professionalOf(context: TurnContext): ProfessionalIdentity | undefined {
  return context.turnState.get<ProfessionalIdentity | undefined>(professionalKey);
}

export const webChatChannelId = 'webchat';

/**
 * Activities that never enter the transcript: a delay is a pause, a typing indicator is stale by the
 * time anyone could replay it (live sockets only), Direct Line has no invokes, and traces are for
 * developer tools only (as Bot Framework does).
 */
const notStored = new Set<string>(['delay', ActivityTypes.Typing, ActivityTypes.InvokeResponse, ActivityTypes.Trace]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Direct Line carries no files: the web chat sends none and the bot asks for none. */
const noAttachments = () => Promise.reject(new Error('attachments are not supported on the web chat channel'));

/**
 * Runs the same bot as Teams for the self-hosted Direct Line channel, in process: an incoming activity
 * becomes a TurnContext here instead of an HTTP POST to ourselves, and what the bot sends is appended to
 * the conversation's transcript (which assigns ids and watermarks) and announced to live sockets.
 */
export class DirectLineAdapter extends BaseAdapter {
  private readonly options: DirectLineAdapterOptions;

  constructor(options: DirectLineAdapterOptions) {
    super();
    this.options = options;
    const typing = options.typing ?? { delayMs: 500, periodMs: 2000 };
    this.use(typingIndicator(typing.delayMs, typing.periodMs));
    this.onTurnError = async (context: TurnContext, error: Error) => {
      const { activity } = context;
      options.logger.error({ err: error, conversation: storageKeyOf(activity.conversation?.id ?? ''), activityType: activity.type }, 'unhandled web chat turn error');
      if (activity.type === 'message') await context.sendActivity(options.words('turn-failed')).catch(() => undefined);
    };
  }

  /** One web chat turn of `bot`, for the Direct Line endpoint: the SDK's turn context never leaves `bot/`. */
  runTurn(activity: OutgoingActivity, bot: WebChatBot, professional?: ProfessionalIdentity): Promise<void> {
    return this.processActivity(activity, (context) => bot.run(context), professional);
  }

  /** Runs one incoming activity through the middleware and `logic` (usually `bot.run`). */
  async processActivity(activity: OutgoingActivity, logic: (context: TurnContext) => Promise<void>, professional?: ProfessionalIdentity): Promise<void> {
    const context = new TurnContext(this, toActivity(activity));
    if (professional) context.turnState.set(professionalKey, professional);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation!.id;
    const responses: ResourceResponse[] = [];
    let batch: TranscriptActivity[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const stored = await this.store(conversationId, batch);
      responses.push(...stored);
      batch = [];
    };
    for (const activity of activities) {
      if (!notStored.has(activity.type ?? '')) {
        batch.push(this.toTranscript(activity));
        continue;
      }
      await flush(); // keeps responses in the order of the activities
      const type = activity.type as ActivityTypes | 'delay';
      if (type === 'delay') await sleep(typeof activity.value === 'number' ? activity.value : 1000);
      if (type === ActivityTypes.Typing) this.options.listener.ephemeral(conversationId, this.toTranscript(activity));
      responses.push({ id: '' });
    }
    await flush();
    return responses;
  }

  /**
   * The transcript is append-only, so an update is appended again under the same id: a client that
   * already showed the activity replaces it by id, and a replay shows both in order.
   */
  async updateActivity(context: TurnContext, activity: Activity): Promise<ResourceResponse | void> {
    const [response] = await this.store(context.activity.conversation!.id, [this.toTranscript(activity)]);
    return { id: activity.id ?? response.id };
  }

  /** Appends a `messageDelete` naming the activity, for clients to hide it; the history itself stays. */
  async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = reference.conversation?.id ?? context.activity.conversation!.id;
    await this.store(conversationId, [this.toTranscript({ type: ActivityTypes.MessageDelete, replyToId: reference.activityId, from: context.activity.recipient })]);
  }

  /** Proactive messages (a MASH status update, say) for a web chat conversation; no app identity in process. */
  async continueConversation(_appIdOrIdentity: unknown, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = new Activity(ActivityTypes.Event);
    activity.name = ActivityEventNames.ContinueConversation;
    // A stored reference names the bot `bot` (the protocol's word), the SDK `agent`: either works here.
    activity.applyConversationReference(toSdkReference(reference) ?? (reference as ConversationReference), true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  uploadAttachment(_context: TurnContext, _conversationId: string, _data: AttachmentData): Promise<ResourceResponse> {
    return noAttachments();
  }

  getAttachmentInfo(_context: TurnContext, _attachmentId: string): Promise<AttachmentInfo> {
    return noAttachments();
  }

  getAttachment(_context: TurnContext, _attachmentId: string, _viewId: string): Promise<NodeJS.ReadableStream> {
    return noAttachments();
  }

  private async store(conversationId: string, activities: TranscriptActivity[]): Promise<ResourceResponse[]> {
    const entries = await this.options.transcripts.append(conversationId, activities);
    this.options.listener.appended(conversationId, entries);
    return entries.map((e) => ({ id: e.activity.id }));
  }

  /**
   * Plain JSON (Dates become strings) with the server's timestamp; the internal serviceUrl stays inside.
   * TurnContext has already filled from, recipient, conversation and replyToId from the incoming activity.
   * The SDK's Activity keeps the channel in `_channelId` behind a getter: the wire field is set here.
   */
  private toTranscript(activity: Partial<Activity> | OutgoingActivity): TranscriptActivity {
    const { serviceUrl: _internal, ...rest } = JSON.parse(JSON.stringify(activity)) as Record<string, unknown>;
    const wire = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_')));
    return transcriptActivitySchema.parse({
      ...wire,
      type: activity.type ?? ActivityTypes.Message,
      channelId: webChatChannelId,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
    });
  }
}
