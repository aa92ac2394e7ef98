import express from 'express';
import * as agentsHosting from '@microsoft/agents-hosting';
import type { TurnContext } from '@microsoft/agents-hosting';

export type Hosting = typeof agentsHosting;

/**
 * The HTTP side every reference bot of the bench shares (the floor, the replies floor, the peer): the SDK's
 * CloudAdapter, anonymous (no client id, as the service's local mode), on express with /healthz, closed on
 * SIGTERM. One harness, so the references differ only in what a turn does. `hosting` is the SDK copy to run
 * on (the peer's dialogs package brings its own).
 */
export function serveSdkBot(onTurn: (context: TurnContext) => Promise<void>, hosting: Hosting = agentsHosting): void {
  const authConfig = hosting.loadAuthConfigFromEnv();
  const adapter = new hosting.CloudAdapter(authConfig);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/api/messages', hosting.authorizeJWT(authConfig), async (req, res) => {
    await adapter.process(req, res, onTurn);
  });
  const server = app.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
