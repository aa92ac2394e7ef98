import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SentActivity } from './activities';

export interface RecordedActivity {
  conversationId: string;
  replyToId?: string;
  activity: SentActivity;
}

/**
 * Stands in for the Bot Framework connector service: records every activity the bot sends to
 * `POST /v3/conversations/:id/activities[/:replyToId]`. `delayMs` simulates a slow channel.
 */
export async function startFakeConnector(options: { delayMs?: number } = {}) {
  const recorded: RecordedActivity[] = [];
  const updates: Array<{ conversationId: string; activityId: string; activity: SentActivity }> = [];
  // Conversations the channel refuses (e.g. 403: app uninstalled, 404: conversation gone), by id.
  const refused = new Map<string, number>();
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const record: express.RequestHandler = async (req, res) => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const refusal = refused.get(String(req.params.conversationId));
    if (refusal)
      return void res.status(refusal).json({ error: { code: refusal === 403 ? 'BotNotInConversationRoster' : 'ConversationNotFound', message: 'refused by the fake connector' } });
    recorded.push({ conversationId: String(req.params.conversationId), replyToId: req.params.replyToId as string | undefined, activity: req.body as SentActivity });
    res.json({ id: `reply-${recorded.length}` });
  };
  app.post('/v3/conversations/:conversationId/activities', record);
  app.post('/v3/conversations/:conversationId/activities/:replyToId', record);
  // updateActivity: a card changed in place (the coordinators' card after a claim, a question, a reply).
  app.put('/v3/conversations/:conversationId/activities/:activityId', (req, res) => {
    updates.push({ conversationId: String(req.params.conversationId), activityId: String(req.params.activityId), activity: req.body as SentActivity });
    res.json({ id: req.params.activityId });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    recorded,
    updates,
    /** From now on answer `status` to every activity for this conversation; `undefined` accepts again. */
    refuse: (conversationId: string, status: number | undefined) => (status ? refused.set(conversationId, status) : refused.delete(conversationId)),
    forConversation: (conversationId: string) => recorded.filter((r) => r.conversationId === conversationId).map((r) => r.activity),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;
