import type { Activity } from '@microsoft/agents-activity';
import { Redis } from 'ioredis';
import { readRepliesRecording, repliesFor, withoutSdkFields } from './serviceReplies';
import { floorConversationStore, readConversationRecord, saveTurnOf } from './serviceRecord';
import { serveSdkBot } from './sdkBotServer';

/**
 * The floor sending this service's replies: agentsFloorBot.ts (CloudAdapter, anonymous), but each activity
 * is answered with what the service answered at the same step of a screening, recorded from the current
 * build at the start of the run (`BENCH_REPLIES_FILE`, serviceReplies.ts): the welcome text and menu card
 * for a conversationUpdate, the same cards and the same count for each message. No state beyond each
 * conversation's step: the gap between this and the echo floor is what the SDK costs to send these replies,
 * the gap between the service and this is the service's own work.
 *
 * With `BENCH_RECORD_FILE` (and REDIS_URL, REDIS_KEY_PREFIX) it also saves that conversation record of the
 * service's once per activity, before replying, with the service's own Redis store code: the remembered load,
 * AES-GCM, zod and the compare-and-set script (serviceRecord.ts). That is the floor of any durable design
 * that answers with these replies and keeps its state encrypted, with no dialogue, audit or references.
 */
const file = process.env.BENCH_REPLIES_FILE;
if (!file) throw new Error('BENCH_REPLIES_FILE names the recording of the service replies this bot sends');
const recorded = readRepliesRecording(file);
// The SDK's signature names its Activity class; its first step (Activity.fromObject) takes the plain object, as the service's forSending does.
const prepared = {
  welcome: recorded.welcome.map((a) => withoutSdkFields(a) as unknown as Activity),
  turns: recorded.turns.map((turn) => turn.map((a) => withoutSdkFields(a) as unknown as Activity)),
};
const steps = new Map<string, number>();
const recordFile = process.env.BENCH_RECORD_FILE;
const durable = recordFile
  ? {
      record: readConversationRecord(recordFile),
      store: floorConversationStore(new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15'), process.env.REDIS_KEY_PREFIX ?? 'sgbench:floor:'),
    }
  : undefined;

serveSdkBot(async (context) => {
  const conversationId = context.activity.conversation?.id ?? '';
  if (durable) await saveTurnOf(durable.store, conversationId, durable.record);
  const replies = repliesFor(prepared, steps, context.activity.type, conversationId);
  // One call per turn, as the service sends a turn's replies (context.sendActivities in safeguardingBot.ts).
  if (replies.length > 0) await context.sendActivities(replies);
});
