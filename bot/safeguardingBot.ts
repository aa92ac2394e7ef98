import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import { ActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { OutgoingMessage, ServiceWords, TurnInput, TurnMeta } from '../flows';
import { continueCommandOf, detectCommand, normalise, serviceWordsOf } from '../flows';
import { storageKeyOf } from '../integrations';
import type { TurnOptions, TurnOutcome, TurnService } from './ports';
import { referenceOf, type StoredConversationReference } from './conversationReference';
import { professionalOf } from './directLineAdapter';
import { forSending, type OutgoingActivity } from './outgoingActivity';
import { renderActivity } from './renderActivity';
import { answerFromAction, cardActionError, cardActionResult, cardContextOf, isTeamsChannel, isTeamsPersonalInstall, renderTeamsActivity, type CardContext } from './teams';
import { channelReply, channelScope, handoffCardAction, type CoordinatorTeamsOptions } from './teams/coordinatorActions';

export interface SafeguardingBotOptions {
  turns: TurnService;
  logger: Logger;
  now?: () => Date;
  /** "My referrals": the professional's filed referrals and their status (I/O, so not in the flows). */
  myReferrals?: (channelId: string, userId: string) => Promise<OutgoingMessage>;
  /**
   * Unfinished referrals (issue 20 item 2): the turn input that resumes the professional's latest draft (or
   * the one named), and what to say when there is none.
   */
  drafts?: { resumeInput: (channelId: string, userId: string, draftId?: string) => Promise<TurnInput | undefined>; none: () => OutgoingMessage };
  /** Sends the message to the MASH when it answers a question the MASH asked in this conversation. */
  answerMashQuestion?: (conversationId: string, text: string) => Promise<OutgoingMessage | undefined>;
  /**
   * Which replies someone waits for in this conversation (a coordinator's or the MASH's question), read
   * together in one round trip before the routes that take them (issue 23); unset: each route looks itself.
   * Not called where the turn's save checks them itself (`turns.checksRepliesAtSave`).
   */
  waitingReplies?: (conversationId: string) => Promise<{ coordinator: boolean; mash: boolean }>;
  /** Keeps where to reach this person later (proactive updates); called for every activity. */
  rememberReference?: (reference: StoredConversationReference) => Promise<void>;
  /** Longest text (or typed card answer) a turn reads; longer gets "please shorten" and no turn runs. */
  maxMessageChars?: number;
  /** CSE coordinators: card actions on handoffs, the team-channel commands, and referrers' replies. */
  coordinators?: CoordinatorTeamsOptions & { reply: (conversationId: string, text: string) => Promise<OutgoingMessage | undefined> };
}

export const defaultMaxMessageChars = 4000;

const myReferralsWords = new Set(['my referrals', 'my referral', 'referral status']);

/** A message as the routes read it: the text typed, or the answer a card submitted. */
interface IncomingMessage {
  context: TurnContext;
  text: string;
  submitted?: TurnInput;
  /** What the reply routes may find (`waitingReplies`); unset: they look. */
  waiting?: { coordinator: boolean; mash: boolean };
  /** The flow runs first and its save checks whether a reply waits (`unlessReplyAwaited`); the reply routes wait for its answer. */
  checkAtSave?: boolean;
}

/** One row of the message routing table: `take` answers the message and says so, or leaves it to the next. */
interface MessageRoute {
  route: 'team-channel' | 'too-long' | 'my-referrals' | 'continue-draft' | 'coordinator-reply' | 'mash-reply' | 'flow';
  take: (message: IncomingMessage) => Promise<boolean>;
}

/** Card submits (Action.Submit) arrive as a message whose value is `{ questionId, turnId, answer }`; Teams' Action.Execute arrives as an invoke. */
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
  private readonly cards: CardContext;
  /** Everything the bot says itself (apologies, refusals) is the pack's. */
  private readonly words: ServiceWords;

  constructor(options: SafeguardingBotOptions) {
    super();
    this.options = options;
    this.cards = cardContextOf(options.turns.pack);
    this.words = serviceWordsOf(options.turns.pack);

    // Every activity (install, message, card click) refreshes, or revives, the stored reference.
    // Beside the turn, not before it (issue 23): its read shares the turn's first Redis round trip
    // (auto-pipelining) instead of adding one; it never fails the turn and is done before the turn ends.
    this.onTurn(async (context, next) => {
      const remembered = this.options.rememberReference?.(referenceOf(context.activity));
      try {
        await next();
      } finally {
        await remembered;
      }
    });

    this.onMembersAdded(async (context, next) => {
      // Added to a team: the channel gets no welcome and no menu (team scope is for coordinators only).
      if (channelScope(context).inChannel) return next();
      const botId = context.activity.recipient?.id;
      const people = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (people.length > 0 || isTeamsPersonalInstall(context.activity)) await this.runTurn(context, { kind: 'start' });
      await next();
    });

    this.onMessage(async (context, next) => {
      const message: IncomingMessage = { context, text: context.activity.text ?? '', submitted: submittedAnswer(context.activity.value) };
      const conversationId = context.activity.conversation?.id;
      if (conversationId && this.mayAnswerSomeone(message)) {
        // Redis on one node: no read before the turn (issue 23: one round trip); the save looks instead.
        if (this.options.turns.checksRepliesAtSave) message.checkAtSave = true;
        else if (this.options.waitingReplies) message.waiting = await this.options.waitingReplies(conversationId);
      }
      await this.route(message);
      await next();
    });
  }

  private async route(message: IncomingMessage): Promise<void> {
    for (const { take } of this.messageRoutes) if (await take(message)) return;
  }

  /** What the reply routes could take: typed words, not a command, with someone to give them to. */
  private mayAnswerSomeone({ text, submitted }: IncomingMessage): boolean {
    return !submitted && Boolean(text.trim()) && !detectCommand(text) && Boolean(this.options.coordinators || this.options.answerMashQuestion);
  }

  /**
   * Where a message goes, as one declared table: the first route that takes it answers. Everything that
   * is not a channel command, a refusal or a reply owed to someone else is a turn of the flows, whose own
   * commands (help, restart, 999, back) and questions the runtime routes (`flows/runtime.ts`).
   */
  private readonly messageRoutes: MessageRoute[] = [
    // Never a flow in a channel: nothing about a child may be asked or shown where others can read it.
    { route: 'team-channel', take: (m) => this.teamChannel(m) },
    // Refused before any turn runs, so the flow state (and the question waiting) is untouched.
    { route: 'too-long', take: async ({ context, text, submitted }) => this.tooLong(text, submitted) && this.say(context, { text: this.words('message-too-long') }) },
    { route: 'my-referrals', take: (m) => this.myReferrals(m) },
    // "continue referral": an unfinished referral goes on from its draft, in this conversation.
    { route: 'continue-draft', take: (m) => this.continueDraft(m) },
    {
      route: 'coordinator-reply',
      take: async ({ context, text, submitted, waiting, checkAtSave }) =>
        !submitted && !checkAtSave && waiting?.coordinator !== false && (await this.answeredCoordinatorQuestion(context, text)) && this.reask(context),
    },
    {
      route: 'mash-reply',
      take: async ({ context, text, submitted, waiting, checkAtSave }) =>
        !submitted && !checkAtSave && waiting?.mash !== false && (await this.answeredMashQuestion(context, text)) && this.reask(context),
    },
    { route: 'flow', take: (m) => this.flow(m) },
  ];

  /**
   * The flow's turn. With `checkAtSave`, a turn that found a reply awaited was discarded whole (not saved,
   * nothing sent, no effect run): the message goes through the table again, now knowing what waits, so it
   * reaches the coordinator's or the MASH's route exactly as when the wait was read first.
   */
  private async flow(message: IncomingMessage): Promise<true> {
    const { context, text, submitted, checkAtSave } = message;
    const outcome = await this.runTurn(context, submitted ?? { kind: 'text', text }, undefined, checkAtSave ? { unlessReplyAwaited: true } : undefined);
    if (outcome?.replyAwaited) await this.route({ ...message, checkAtSave: false, waiting: outcome.replyAwaited });
    return true;
  }

  private async teamChannel({ context, text }: IncomingMessage): Promise<boolean> {
    const scope = channelScope(context, this.options.coordinators?.channelId);
    if (!scope.inChannel) return false;
    await context.sendActivity(
      this.options.coordinators ? await channelReply(text, scope.coordinators, this.options.coordinators.actions, this.words) : this.words('personal-chat-only'),
    );
    return true;
  }

  private async myReferrals({ context, text, submitted }: IncomingMessage): Promise<boolean> {
    if (submitted || !this.options.myReferrals || !myReferralsWords.has(normalise(text))) return false;
    const { channelId, from } = context.activity;
    await this.say(context, await this.options.myReferrals(channelId ?? '', from?.id ?? 'unknown'));
    return this.reask(context);
  }

  private async continueDraft({ context, text, submitted }: IncomingMessage): Promise<boolean> {
    const command = submitted || !this.options.drafts ? undefined : continueCommandOf(text);
    if (!command || !this.options.drafts) return false;
    const { channelId, from } = context.activity;
    const input = await this.options.drafts.resumeInput(channelId ?? '', from?.id ?? 'unknown', command.draftId);
    if (!input) {
      await this.say(context, this.options.drafts.none());
      return this.reask(context);
    }
    await this.runTurn(context, input);
    return true;
  }

  private async say(context: TurnContext, message: OutgoingMessage): Promise<true> {
    await context.sendActivity(forSending(this.render(context.activity, message)));
    return true;
  }

  /** After a reply owed to someone else, the question the professional was on, again. */
  private async reask(context: TurnContext): Promise<true> {
    await this.runTurn(context, { kind: 'reask' });
    return true;
  }

  /**
   * A card button (`Action.Execute`, Teams Universal Actions). The SDK's ActivityHandler routes `adaptiveCard/action`
   * here after checking the action type; the answer is the clicked card, updated (bot/teams/cardAction.ts).
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    if (invokeValue.action?.verb?.startsWith('handoff.')) {
      if (!this.options.coordinators) return cardActionError(400, 'BadRequest', this.words('card-action-no-coordinators'));
      return handoffCardAction(context, invokeValue, this.options.coordinators, this.words);
    }
    const input = answerFromAction(invokeValue);
    if (!input) return cardActionError(400, 'BadRequest', this.words('card-action-no-answer'));
    const outcome = await this.runTurn(context, input, (turn) => cardActionResult(turn, this.words).replies);
    return outcome ? cardActionResult(outcome, this.words).response : cardActionError(500, 'InternalError', this.words('turn-not-saved'));
  }

  /** Commands (help, restart, 999...) keep their meaning even while a MASH question waits. */
  private tooLong(text: string, submitted: TurnInput | undefined): boolean {
    const max = this.options.maxMessageChars ?? defaultMaxMessageChars;
    const answer = submitted?.kind === 'submit' ? submitted.answer : undefined;
    return text.length > max || (typeof answer === 'string' && answer.length > max);
  }

  /** A coordinator's question waits for this referrer: their next message (not a command) is the answer. */
  private async answeredCoordinatorQuestion(context: TurnContext, text: string): Promise<boolean> {
    if (!this.options.coordinators || !text.trim() || detectCommand(text)) return false;
    const sent = await this.options.coordinators.reply(context.activity.conversation?.id ?? '', text);
    if (sent) await context.sendActivity(forSending(this.render(context.activity, sent)));
    return sent !== undefined;
  }

  private async answeredMashQuestion(context: TurnContext, text: string): Promise<boolean> {
    if (!this.options.answerMashQuestion || !text.trim() || detectCommand(text)) return false;
    const sent = await this.options.answerMashQuestion(context.activity.conversation?.id ?? '', text);
    if (sent) await context.sendActivity(forSending(this.render(context.activity, sent)));
    return sent !== undefined;
  }

  /** Teams gets cards for questions and results; every other channel keeps the shared rendering. */
  private render(activity: Activity, message: OutgoingMessage): OutgoingActivity {
    const recipient = activity.from?.id;
    return isTeamsChannel(activity.channelId) ? renderTeamsActivity(message, this.cards, recipient) : renderActivity(message, recipient);
  }

  /** Runs the turn and sends its replies (`select` picks which); undefined when it failed and we apologised. */
  private async runTurn(context: TurnContext, input: TurnInput, select?: (outcome: TurnOutcome) => OutgoingMessage[], options?: TurnOptions): Promise<TurnOutcome | undefined> {
    const { activity } = context;
    const conversationId = activity.conversation?.id ?? '';
    const conversation = storageKeyOf(conversationId);
    const meta: TurnMeta = {
      channelId: activity.channelId ?? '',
      userId: activity.from?.id ?? 'unknown',
      userName: activity.from?.name,
      conversationKey: conversation,
      ...(activity.id ? { activityId: activity.id } : {}),
      now: this.options.now?.() ?? new Date(),
      ...signedInDetails(context),
    };
    const started = Date.now();
    try {
      const reference = referenceOf(activity) as Record<string, unknown>;
      const outcome = await this.options.turns.run(conversationId, input, meta, reference, options);
      if (outcome.replyAwaited) return outcome; // nothing happened: the caller routes the message again
      const replies = select ? select(outcome) : outcome.messages;
      if (replies.length > 0) await context.sendActivities(replies.map((m) => forSending(this.render(activity, m))));
      this.options.logger.info(
        {
          conversation,
          channel: meta.channelId,
          input: input.kind,
          submit: outcome.submitted?.status,
          replies: replies.length,
          attempts: outcome.attempts,
          ms: Date.now() - started,
        },
        'turn',
      );
      return outcome;
    } catch (error) {
      this.options.logger.error({ conversation, channel: meta.channelId, err: error }, 'turn failed');
      await context.sendActivity(forSending({ type: ActivityTypes.Message, text: this.words('turn-not-saved') })).catch(() => undefined);
      return undefined;
    }
  }
}

/**
 * What the web chat sign-in (local form or OIDC) says about the professional: the referral flow skips the
 * referrer questions these answer, so nobody types their own name and email twice.
 */
function signedInDetails(context: TurnContext): Partial<TurnMeta> {
  const professional = professionalOf(context);
  if (!professional) return {};
  const details: Partial<TurnMeta> = {};
  if (professional.name) details.userName = professional.name;
  if (professional.role) details.userRole = professional.role;
  if (professional.organisation) details.userOrganisation = professional.organisation;
  if (professional.email) details.userEmail = professional.email;
  // Offered at `ref-referrer-phone` as "Use this number" (issue 21); Teams SSO carries no phone.
  if (professional.phone) details.userPhone = professional.phone;
  return details;
}
