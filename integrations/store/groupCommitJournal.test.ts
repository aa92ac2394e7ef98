import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import { createEnvelopeCipher, encryptionKey } from '../crypto/envelopeCipher';
import { createEmbeddedDocumentStore, fileSchema } from './embeddedConversationStore';
import { journalDirOf } from './groupCommitJournal';
import { storageKeyOf } from './recordCodec';
import { answerOf, turnRecordSchema, type TurnRecord } from '../../test/support/turnRecords';
import { testDataDir } from '../../test/support/outboxTesting';
import { waitFor } from '../../test/support/waitFor';

const codec = createEncryptedJsonCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]), turnRecordSchema, (k) => `test:${k}`);
const journalText = (dataDir: string) => {
  const dir = journalDirOf(dataDir, 'conversations');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
};

describe('group-commit journal, timed checkpoint', () => {
  it('an erased conversation’s ciphertext leaves the journal within the checkpoint time, with no further saves', async () => {
    const dataDir = testDataDir();
    const store = await createEmbeddedDocumentStore<TurnRecord>({ dataDir, folder: 'conversations', codec, ttlMs: 3_600_000, checkpointAfterMs: 300 });
    const record = (conversation: string): TurnRecord => ({ conversation, turn: 1, answer: answerOf(conversation, 1) });
    await store.save('Test Child erased', record('Test Child erased'), 0);
    await store.save('kept', record('kept'), 0);
    const fileOf = (conversation: string) => join(dataDir, 'conversations', `${storageKeyOf(conversation)}.json`);
    const erasedFile = readFileSync(fileOf('Test Child erased'), 'utf8');
    const ciphertext = fileSchema.parse(JSON.parse(erasedFile)).data;

    await store.delete('Test Child erased');
    // Still in the journal straight after the erasure: the quiet store will write nothing that reaches 4 MiB.
    expect(journalText(dataDir)).toContain(ciphertext);

    await waitFor(() => !journalText(dataDir).includes(ciphertext), 'the timed checkpoint to remove the journal', 5000);
    expect(readdirSync(journalDirOf(dataDir, 'conversations'))).toEqual([]);
    expect(await store.load('Test Child erased')).toEqual({ rev: 0 });
    expect(await store.load('kept')).toEqual({ rev: 1, record: record('kept') });
    // The store carries on journalling after the checkpoint.
    expect(await store.save('kept', { ...record('kept'), turn: 2 }, 1)).toEqual({ ok: true, rev: 2 });
    expect(readdirSync(journalDirOf(dataDir, 'conversations'))).toHaveLength(1);
    await store.close();
  });
});
