// Concurrent saves on the embedded document store in a process of its own, so that a test can kill -9 it
// during a group commit. Prints `ack <conversation> <rev>` after each save resolves, and nothing else on
// stdout. Started by test/groupCommitKill.test.ts through tsRequire.js.
import { createEmbeddedDocumentStore, createEncryptedJsonCodec, createEnvelopeCipher, encryptionKey } from '../../integrations';
import { answerOf, turnRecordSchema, type TurnRecord } from './turnRecords';

async function main(): Promise<void> {
  const { DATA_DIR, STORE_KEY, CONVERSATIONS } = process.env;
  if (!DATA_DIR || !STORE_KEY || !CONVERSATIONS) throw new Error('DATA_DIR, STORE_KEY and CONVERSATIONS are required');
  const codec = createEncryptedJsonCodec(createEnvelopeCipher([encryptionKey(Buffer.from(STORE_KEY, 'base64'))]), turnRecordSchema, (key) => `test:${key}`);
  const store = await createEmbeddedDocumentStore<TurnRecord>({ dataDir: DATA_DIR, folder: 'conversations', codec, ttlMs: 3_600_000 });
  const conversations = Array.from({ length: Number(CONVERSATIONS) }, (_, i) => `conv-${i}`);
  // Each conversation takes turn after turn, all at once: their saves queue together for the journal's flush.
  await Promise.all(
    conversations.map(async (conversation) => {
      for (let turn = 1; ; turn += 1) {
        const result = await store.save(conversation, { conversation, turn, answer: answerOf(conversation, turn) }, turn - 1);
        if (!result.ok) throw new Error(`conflict on ${conversation} at ${turn}`);
        process.stdout.write(`ack ${conversation} ${result.rev}\n`);
      }
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
