import { createHash } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';

/**
 * A category 1 screening (the protocol test's): the triage (danger, who, age, override facts),
 * then the screening (14 answers); flows, store, encryption and audit each turn.
 */
export const screeningAnswers = [
  'Is this exploitation?',
  'no',
  'A child (under 18)',
  '15',
  'none',
  'Nothing specific, she just seems quiet.',
  'no',
  'none',
  'none',
  'Drug or alcohol misuse',
  'none',
  'none',
  'none',
  'no',
];

let sequence = 0;

export interface BotFrameworkTarget {
  url: string;
  connectorUrl: string;
  /** `teams`: msteams activities with a tenant, an AAD object id and a personal conversation (the service answers with cards). */
  shape?: 'emulator' | 'teams';
  /** Told each activity's id and type before it is posted (the replies recording groups the connector's bodies by the id they answer). */
  onPost?: (activity: PostedActivity) => void;
}

/** An activity the driver posted to /api/messages: its id (a reply's `replyToId`) and type. */
export interface PostedActivity {
  id: string;
  type: string;
}

const benchTenant = { id: '72f988bf-0000-4000-8000-00000000be11' };

/**
 * The Entra object id of the professional in one bench conversation. In Teams a person has one personal
 * conversation with a bot, and its `29:` user id is theirs alone, so concurrent personal conversations are
 * different people. Until 6 Dec 2026 every bench conversation carried one object id: 32 "conversations of one
 * person", which no Teams user can have. That made every turn rewrite the person's shared reference, a cost
 * real traffic does not pay (docs/performance.md, "The bench's Teams users").
 */
export function benchAadObjectIdOf(conversationId: string): string {
  const hex = createHash('sha256').update(conversationId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function postActivity(target: BotFrameworkTarget, conversationId: string, activity: { type: string } & Record<string, unknown>): Promise<void> {
  const teams = target.shape === 'teams';
  const user = teams
    ? { id: `29:bench-user-${conversationId}`, name: 'Test Professional', aadObjectId: benchAadObjectIdOf(conversationId) }
    : { id: `bench-user-${conversationId}`, name: 'Test Professional' };
  const id = `act-${++sequence}`;
  target.onPost?.({ id, type: activity.type });
  const res = await fetch(`${target.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      channelId: teams ? 'msteams' : 'emulator',
      serviceUrl: target.connectorUrl,
      from: user,
      recipient: { id: teams ? '28:bot' : 'bot', name: 'Safeguarding bot' },
      conversation: teams ? { id: conversationId, conversationType: 'personal', tenantId: benchTenant.id } : { id: conversationId },
      ...(teams ? { channelData: { tenant: benchTenant } } : {}),
      timestamp: new Date().toISOString(),
      ...activity,
    }),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}`);
}

/**
 * One conversation through /api/messages: a join (not timed) then every answer, each timed from the POST
 * to its response; the adapter answers only after the turn's replies reached the connector.
 */
export async function botFrameworkConversation(
  target: BotFrameworkTarget,
  conversationId: string,
  record: (ms: number) => void,
  answers = screeningAnswers,
  /** Open loop: resolves when the next answer is due, its latency then counting from that moment (no coordinated omission); undefined ends the conversation. */
  due?: () => Promise<number | undefined>,
): Promise<void> {
  const userId = target.shape === 'teams' ? `29:bench-user-${conversationId}` : `bench-user-${conversationId}`;
  await postActivity(target, conversationId, { type: 'conversationUpdate', membersAdded: [{ id: userId }, { id: target.shape === 'teams' ? '28:bot' : 'bot' }] });
  for (const text of answers) {
    const started = due ? await due() : performance.now();
    if (started === undefined) return;
    await postActivity(target, conversationId, { type: 'message', text });
    record(performance.now() - started);
  }
}

interface StreamActivity {
  replyToId?: string;
  from?: { id?: string };
}

/** What the bench reads of Direct Line's answers: a token, a started conversation, a posted activity's id. */
const tokenAnswer = z.object({ token: z.string() });
const conversationAnswer = z.object({ conversationId: z.string(), streamUrl: z.string() });
const postedAnswer = z.object({ id: z.string() });
const problemAnswer = z.object({ code: z.string() });

async function directLineCall<T>(url: string, path: string, auth: string, answer: z.ZodType<T>, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/v3/directline${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${problemAnswer.safeParse(json).data?.code ?? ''}`);
  return answer.parse(json);
}

/** A WebSocket frame as text (ws hands a Buffer by default; the other shapes only with another binaryType). */
function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Waits for the first activity on the socket that answers `activityId` (botbuilder sets replyToId). */
function replyWaiter(socket: WebSocket) {
  const seen = new Set<string>();
  const waiting = new Map<string, () => void>();
  socket.on('message', (data) => {
    const text = frameText(data);
    if (!text) return; // Direct Line sends empty keep-alive frames
    const { activities = [] } = JSON.parse(text) as { activities?: StreamActivity[] };
    for (const a of activities) {
      if (!a.replyToId) continue;
      seen.add(a.replyToId);
      waiting.get(a.replyToId)?.();
    }
  });
  return (activityId: string) =>
    new Promise<void>((done, fail) => {
      if (seen.has(activityId)) return done();
      const timer = setTimeout(() => fail(new Error('no reply on the Direct Line socket within 10 s')), 10_000);
      waiting.set(activityId, () => {
        clearTimeout(timer);
        waiting.delete(activityId);
        done();
      });
    });
}

/**
 * One conversation the way Web Chat holds it: a token from /tokens/generate (server side, with the secret),
 * the conversation started with it, a WebSocket on its streamUrl; each answer timed from the POST until the
 * bot's reply to it arrives on the socket.
 */
export async function directLineConversation(url: string, secret: string, userId: string, record: (ms: number) => void, answers = screeningAnswers): Promise<void> {
  const { token } = await directLineCall(url, '/tokens/generate', secret, tokenAnswer, { user: { id: userId, name: 'Test Professional' } });
  const { conversationId, streamUrl } = await directLineCall(url, '/conversations', token, conversationAnswer);
  const socket = new WebSocket(streamUrl);
  const replyTo = replyWaiter(socket);
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done());
    socket.once('error', fail);
  });
  try {
    for (const [i, text] of answers.entries()) {
      const started = performance.now();
      const { id } = await directLineCall(url, `/conversations/${encodeURIComponent(conversationId)}/activities`, token, postedAnswer, {
        type: 'message',
        text,
        from: { id: userId },
        channelData: { clientActivityID: `c-${i}` },
      });
      await replyTo(id);
      record(performance.now() - started);
    }
  } finally {
    socket.close();
  }
}
