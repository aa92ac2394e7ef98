// A delivery worker in a process of its own, on the embedded outbox of DATA_DIR, so that a test can
// kill -9 it mid-delivery. Started by test/embeddedOutboxKill.test.ts through tsRequire.js.
import { createDeliveryWorker, createEmbeddedOutbox, createEnvelopeCipher, createMashClient, createOutboxCodec, encryptionKey } from '../../integrations';

async function main(): Promise<void> {
  const { DATA_DIR, OUTBOX_KEY, MASH_URL, MASH_TOKEN } = process.env;
  if (!DATA_DIR || !OUTBOX_KEY || !MASH_URL || !MASH_TOKEN) throw new Error('DATA_DIR, OUTBOX_KEY, MASH_URL and MASH_TOKEN are required');
  const codec = createOutboxCodec(createEnvelopeCipher([encryptionKey(Buffer.from(OUTBOX_KEY, 'base64'))]));
  const outbox = await createEmbeddedOutbox({ dataDir: DATA_DIR, codec });
  const client = createMashClient({ baseUrl: MASH_URL, auth: { kind: 'static', token: MASH_TOKEN }, timeoutMs: 60_000 });
  const worker = createDeliveryWorker({ outbox, client, pollIntervalMs: 50 });
  worker.start();
  process.stdout.write('worker started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
