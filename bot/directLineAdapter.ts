import { ActivityTypes, BotAdapter, ShowTypingMiddleware, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Logger } from 'pino';
import type { ServiceWords } from '../flows';
import { storageKeyOf, transcriptActivitySchema, type ProfessionalIdentity, type TranscriptActivity, type TranscriptEntry, type TranscriptStore } from '../integrations';

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
  /** ShowTypingMiddleware timing: a typing indicator once a turn has taken `delayMs`, then every `periodMs`. */
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
 * time anyone could replay it (live sockets only), Direct Line has no invokes, and traces are for the
 * Emulator only (as Bot Framework does).
 */
const notStored = new Set<string>(['delay', ActivityTypes.Typing, ActivityTypes.InvokeResponse, ActivityTypes.Trace]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the same bot as Teams for the self-hosted Direct Line channel, in process: an incoming activity
 * becomes a TurnContext here instead of an HTTP POST to ourselves, and what the bot sends is appended to
 * the conversation's transcript (which assigns ids and watermarks) and announced to live sockets.
 */
export class DirectLineAdapter extends BotAdapter {
  private readonly options: DirectLineAdapterOptions;

  constructor(options: DirectLineAdapterOptions) {
    super();
    this.options = options;
    const typing = options.typing ?? { delayMs: 500, periodMs: 2000 };
    this.use(new ShowTypingMiddleware(typing.delayMs, typing.periodMs));
    this.onTurnError = async (context: TurnContext, error: Error) => {
      const { activity } = context;
      options.logger.error({ err: error, conversation: storageKeyOf(activity.conversation.id), activityType: activity.type }, 'unhandled web chat turn error');
      if (activity.type === 'message') await context.sendActivity(options.words('turn-failed')).catch(() => undefined);
    };
  }

  /** Runs one incoming activity through the middleware and `logic` (usually `bot.run`). */
  /** One web chat turn of `bot`, for the Direct Line endpoint: the SDK's turn context never leaves `bot/`. */
  runTurn(activity: Partial<Activity>, bot: WebChatBot, professional?: ProfessionalIdentity): Promise<void> {
    return this.processActivity(activity, (context) => bot.run(context), professional);
  }

  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, professional?: ProfessionalIdentity): Promise<void> {
    const context = new TurnContext(this, activity);
    if (professional) context.turnState.set(professionalKey, professional);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation.id;
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
      if (activity.type === 'delay') await sleep(typeof activity.value === 'number' ? activity.value : 1000);
      if (activity.type === ActivityTypes.Typing) this.options.listener.ephemeral(conversationId, this.toTranscript(activity));
      responses.push({ id: '' });
    }
    await flush();
    return responses;
  }

  /**
   * The transcript is append-only, so an update is appended again under the same id: a client that
   * already showed the activity replaces it by id, and a replay shows both in order.
   */
  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const [response] = await this.store(context.activity.conversation.id, [this.toTranscript(activity)]);
    return { id: activity.id ?? response.id };
  }

  /** Appends a `messageDelete` naming the activity, for clients to hide it; the history itself stays. */
  override async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = reference.conversation?.id ?? context.activity.conversation.id;
    await this.store(conversationId, [this.toTranscript({ type: ActivityTypes.MessageDelete, replyToId: reference.activityId, from: context.activity.recipient })]);
  }

  /** Proactive messages (a MASH status update, say) for a web chat conversation. */
  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async store(conversationId: string, activities: TranscriptActivity[]): Promise<ResourceResponse[]> {
    const entries = await this.options.transcripts.append(conversationId, activities);
    this.options.listener.appended(conversationId, entries);
    return entries.map((e) => ({ id: e.activity.id }));
  }

  /**
   * Plain JSON (Dates become strings) with the server's timestamp; the internal serviceUrl stays inside.
   * TurnContext has already filled from, recipient, conversation and replyToId from the incoming activity.
   */
  private toTranscript(activity: Partial<Activity>): TranscriptActivity {
    const { serviceUrl: _internal, ...rest } = activity;
    const json: unknown = JSON.parse(
      JSON.stringify({ ...rest, type: activity.type ?? ActivityTypes.Message, channelId: webChatChannelId, timestamp: (this.options.now?.() ?? new Date()).toISOString() }),
    );
    return transcriptActivitySchema.parse(json);
  }
}
