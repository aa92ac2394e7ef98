import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from '@microsoft/agents-hosting';
import { parseTeamsChannelData } from '@microsoft/agents-hosting-extensions-teams';
import type { ServiceWords } from '../../flows';
import type { Handoff } from '../../integrations';
import { isOverdue } from '../../integrations';
import { adaptiveCardContentType } from './cardElements';
import { handoffCard } from './coordinatorCard';

/** What a coordinator can do to a handoff (server/coordinator/coordinatorService.ts implements it). */
export interface HandoffActions {
  claim(id: string, by: { id: string; name?: string }): Promise<{ ok: boolean; claimedBy?: string; reason?: string }>;
  ask(id: string, by: { id: string; name?: string }, question: string): Promise<{ ok: boolean; claimedBy?: string; reason?: string }>;
  close(id: string, by: { id: string; name?: string }): Promise<{ ok: boolean; reason?: string }>;
  get(id: string): Promise<Handoff | undefined>;
  triaged(): Promise<Array<Handoff & { overdue: boolean }>>;
}

export interface CoordinatorTeamsOptions {
  actions: HandoffActions;
  /** Teams AAD object ids granted the coordinator role (COORDINATOR_IDS). */
  isCoordinator: (aadObjectId: string) => boolean;
  /** COORDINATOR_TEAMS_CHANNEL_ID: the only channel where handoff details may be shown. */
  channelId?: string;
}

const say = (text: string): AdaptiveCardInvokeResponse =>
  // A message response's value is the text itself (Universal Actions); the SDK types every value as an object.
  ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as AdaptiveCardInvokeResponse['value'] });

function refusal(result: { reason?: string; claimedBy?: string }, say: ServiceWords): string {
  const who = result.claimedBy ?? say('handoff-another-coordinator');
  if (result.reason === 'taken') return say('handoff-taken', { who });
  if (result.reason === 'not-yours') return say('handoff-not-yours', { who });
  if (result.reason === 'closed') return say('handoff-is-closed');
  return say('handoff-not-found');
}

/** Is this a Teams channel conversation (team scope), and is it the coordinators' own channel? */
export function channelScope(context: TurnContext, coordinatorsChannelId?: string): { inChannel: boolean; coordinators: boolean } {
  const { conversation } = context.activity;
  const inChannel = conversation?.conversationType === 'channel';
  // Only a channel can be the coordinators' (parsing the channel data on every personal message cost 1 % of a turn).
  if (!inChannel) return { inChannel, coordinators: false };
  const channel = teamsChannelIdOf(context.activity.channelData) ?? conversation?.id.split(';')[0];
  return { inChannel, coordinators: Boolean(coordinatorsChannelId) && channel === coordinatorsChannelId };
}

/** The Teams channel named in the activity's channelData (the Teams extension's schema), if any. */
function teamsChannelIdOf(channelData: unknown): string | undefined {
  if (typeof channelData !== 'object' || channelData === null) return undefined;
  try {
    return parseTeamsChannelData(channelData).channel?.id;
  } catch {
    return undefined; // not Teams channel data as the schema knows it: the conversation id still says where
  }
}

/**
 * Claim / Ask the referrer / Close from the coordinators' card (Action.Execute). Only a coordinator may act;
 * the answer is the card as it now is (the same card every coordinator sees after the update).
 */
export async function handoffCardAction(
  context: TurnContext,
  value: AdaptiveCardInvokeValue,
  options: CoordinatorTeamsOptions,
  words: ServiceWords,
): Promise<AdaptiveCardInvokeResponse> {
  const from = context.activity.from;
  if (!from?.aadObjectId || !options.isCoordinator(from.aadObjectId)) return say(words('handoff-coordinators-only'));
  const data = (value.action.data ?? {}) as { handoffId?: unknown; answer?: unknown };
  if (typeof data.handoffId !== 'string')
    return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: words('card-action-no-handoff') } };
  const by = { id: `aad-${from.aadObjectId}`, ...(from.name ? { name: from.name } : {}) };
  const verb = value.action.verb;
  const question = typeof data.answer === 'string' ? data.answer.trim() : '';
  if (verb === 'handoff.ask' && !question) return say(words('handoff-ask-empty'));
  const result =
    verb === 'handoff.claim'
      ? await options.actions.claim(data.handoffId, by)
      : verb === 'handoff.ask'
        ? await options.actions.ask(data.handoffId, by, question)
        : verb === 'handoff.close'
          ? await options.actions.close(data.handoffId, by)
          : undefined;
  if (!result) return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: words('card-action-unknown', { verb }) } };
  if (!result.ok) return say(refusal(result, words));
  const handoff = await options.actions.get(data.handoffId);
  if (!handoff) return say(refusal({ reason: 'not-found' }, words));
  return { statusCode: 200, type: adaptiveCardContentType, value: handoffCard({ ...handoff, overdue: isOverdue(handoff, Date.now()) }, words) };
}

/**
 * In a team channel the bot is a coordinators' tool only: "queue" lists the triaged queue (ids, urgency,
 * category, status: no child details), and only in the coordinators' own channel. Anything else points to
 * the personal chat, where the guidance, screening and referrals live.
 */
export async function channelReply(text: string, coordinators: boolean, actions: HandoffActions, words: ServiceWords): Promise<string> {
  if (!coordinators) return words('channel-not-coordinators');
  if (
    text
      .trim()
      .toLowerCase()
      .replace(/^<at>[^<]*<\/at>\s*/, '') !== 'queue'
  )
    return words('channel-commands');
  const queue = await actions.triaged();
  if (queue.length === 0) return words('channel-queue-empty');
  return queue.map((h) => queueLine(h, words)).join('\n');
}

/** One handoff of the channel's queue: ids, urgency, category and status only (never child details). */
function queueLine(h: Handoff & { overdue: boolean }, words: ServiceWords): string {
  return words('channel-queue-line', {
    handoffId: h.handoffId,
    urgency: h.urgency,
    category: h.category !== undefined ? words('channel-queue-category', { category: h.category }) : '',
    status: h.status,
    claimedBy: h.claimedBy && h.status === 'claimed' ? ` (${h.claimedBy})` : '',
    overdue: h.overdue ? words('channel-queue-overdue') : '',
  });
}
