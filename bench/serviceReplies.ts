import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { botFrameworkConversation, type PostedActivity } from './drivers';

/**
 * The service's replies to one Teams-shaped screening, recorded at run time from the current build, for the
 * floor bot that sends them again with no state of its own (agentsRepliesFloorBot.ts): what the Agents SDK
 * costs to send these cards, apart from what the service does to choose them.
 */

/** One activity as the service's SDK posted it to the connector; only its type is read, the rest is kept. */
const recordedActivitySchema = z.looseObject({ type: z.string().min(1), replyToId: z.string().optional() });
export type RecordedActivity = z.infer<typeof recordedActivitySchema>;

/** The recording file: the conversationUpdate's replies, then each message turn's, in order. */
export const repliesRecordingSchema = z.object({
  welcome: z.array(recordedActivitySchema),
  turns: z.array(z.array(recordedActivitySchema)).min(1),
});
export type RepliesRecording = z.infer<typeof repliesRecordingSchema>;

export function readRepliesRecording(file: string): RepliesRecording {
  return repliesRecordingSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The fields the SDK fills on every reply from the activity it answers (`applyConversationReference`:
 * address, conversation, sender, recipient, replyToId, channel, locale) or that the connector and the clock
 * give (id, timestamp). Left in, a recorded reply would go to the recorded conversation.
 */
const sdkFilledFields = new Set(['serviceUrl', 'conversation', 'from', 'recipient', 'replyToId', 'channelId', 'id', 'timestamp', 'locale']);

/** A recorded reply as a bot hands it to `sendActivities`: everything it chose (type, text, cards, channelData...), none of what the SDK fills. */
export function withoutSdkFields(activity: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(activity).filter(([key]) => !sdkFilledFields.has(key)));
}

/**
 * Groups the bodies the connector received by the activity each answers (its `replyToId`, which the SDK sets
 * to the id of the activity being answered), so the grouping holds however the posts and replies interleave
 * in time: the conversationUpdate's replies are the welcome, each message's replies one turn, in the order
 * posted. Typing indicators (their number depends on timing, not on the answer) and bodies that answer no
 * posted activity (proactive messages) are left out and counted.
 */
export function groupReplies(posted: PostedActivity[], bodies: unknown[]): { recording: RepliesRecording; leftOut: number } {
  const groups = new Map(posted.map((p) => [p.id, [] as RecordedActivity[]]));
  let leftOut = 0;
  for (const body of bodies) {
    const reply = recordedActivitySchema.parse(body);
    const group = reply.replyToId === undefined ? undefined : groups.get(reply.replyToId);
    if (reply.type === 'typing' || !group) leftOut += 1;
    else group.push(reply);
  }
  const repliesTo = (type: string) => posted.filter((p) => p.type === type).map((p) => groups.get(p.id) ?? []);
  const recording = { welcome: repliesTo('conversationUpdate').flat(), turns: repliesTo('message') };
  if (recording.turns.length === 0) throw new Error('replies recording: no message was posted');
  if (recording.welcome.length === 0 && recording.turns.every((t) => t.length === 0)) {
    throw new Error(`replies recording: none of the ${bodies.length} bodies the connector received answers a posted activity`);
  }
  return { recording, leftOut };
}

/**
 * The replies a stateless bot sends for `activity`: the welcome for a conversationUpdate, the k-th turn's
 * for a conversation's k-th message. `steps` (message turns answered per conversation) is the only state;
 * a conversation's entry is deleted after its last recorded turn, so a longer one starts over (modulo) and
 * finished ones leave nothing behind.
 */
export function repliesFor<T>(recording: { welcome: T[]; turns: T[][] }, steps: Map<string, number>, type: string, conversationId: string): T[] {
  if (type === 'conversationUpdate') {
    steps.delete(conversationId);
    return recording.welcome;
  }
  if (type !== 'message') return [];
  const k = (steps.get(conversationId) ?? 0) % recording.turns.length;
  if (k + 1 >= recording.turns.length) steps.delete(conversationId);
  else steps.set(conversationId, k + 1);
  return recording.turns[k];
}

/**
 * A connector like startFakeConnector (answers `{"id": ...}` at once) that keeps the JSON body of each
 * activity posted to `/v3/conversations/:id/activities[/:replyToId]`; other calls are answered and counted.
 */
export async function startRecordingConnector(): Promise<{ url: string; bodies: () => unknown[]; otherCalls: () => number; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  let otherCalls = 0;
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(path)) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      else otherCalls += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `recorded-${++n}` }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies: () => [...bodies],
    otherCalls: () => otherCalls,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Runs one Teams-shaped screening against the service at `serviceUrl` and records what it sent back. */
export async function recordServiceReplies(serviceUrl: string, conversationId: string): Promise<{ recording: RepliesRecording; leftOut: number; otherCalls: number }> {
  const connector = await startRecordingConnector();
  try {
    const posted: PostedActivity[] = [];
    await botFrameworkConversation({ url: serviceUrl, connectorUrl: connector.url, shape: 'teams', onPost: (a) => posted.push(a) }, conversationId, () => undefined);
    return { ...groupReplies(posted, connector.bodies()), otherCalls: connector.otherCalls() };
  } finally {
    await connector.close();
  }
}
