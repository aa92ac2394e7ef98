import express from 'express';
import { createAdapter } from '../bot';
import { loadDefaultPack, serviceWordsOf } from '../flows';
import { createLogger, jsonBodyLimit } from '../server';

/**
 * The floor: botbuilder's CloudAdapter (built by our own createAdapter, local mode) behind the same express
 * setup as the service, echoing one message per turn. Nothing of ours runs in the turn, so the gap between
 * this and the service is what our flows, store, encryption and audit cost.
 */
const logger = createLogger('warn');
const adapter = createAdapter(
  { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '', MicrosoftAppType: 'MultiTenant' },
  logger,
  serviceWordsOf(loadDefaultPack()),
);
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: jsonBodyLimit }));
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
});
const server = app.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
