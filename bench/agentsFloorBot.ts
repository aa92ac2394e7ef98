import express from 'express';
import { authorizeJWT, CloudAdapter, loadAuthConfigFromEnv } from '@microsoft/agents-hosting';

/**
 * The floor on the SDK the service moves to (issue 22): the Microsoft 365 Agents SDK's CloudAdapter,
 * anonymous (no client id, as the service's local mode), echoing one message per turn. No state, no
 * dialogue: the gap between this and the service is what our flows, store, encryption and audit cost.
 */
const authConfig = loadAuthConfigFromEnv();
const adapter = new CloudAdapter(authConfig);
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '256kb' }));
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/api/messages', authorizeJWT(authConfig), async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
});
const server = app.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
