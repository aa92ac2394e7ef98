import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ConversationRuntime, PendingEffect } from '../flows';
import { createRuntime, loadDefaultPack } from '../flows';
import { createEmbeddedConversationStore, createEnvelopeCipher, createRecordCodec, encryptionKey } from '../integrations';
import { createConversationTurns } from './conversationTurns';

const pack = loadDefaultPack();
const meta = { channelId: 'test', userId: 'u1', userName: 'Test Professional', now: new Date('2026-03-02T10:00:00Z') };
const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const logger = pino({ level: 'silent' });

/** The real runtime, with one audit effect added to the first turn (the menu itself asks for none). */
function runtimeWithEffect(): ConversationRuntime {
  const real = createRuntime({ pack });
  return {
    ...real,
    runTurn(stored, input, turnMeta) {
      const result = real.runTurn(stored, input, turnMeta);
      const effects = stored ? [] : [{ kind: 'audit.append', id: 'decision-1', payload: { recordType: 'test' } }];
      return { ...result, effects };
    },
  };
}

describe('durable effects', () => {
  it('re-runs an effect that failed after its turn was saved, on the next turn', async () => {
    const store = await createEmbeddedConversationStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-turns-')), codec, ttlMs: 3600_000 });
    const ran: PendingEffect[] = [];
    let failNext = true;
    const runEffects = async (pending: PendingEffect[]) => {
      if (failNext) {
        failNext = false;
        throw new Error('audit store down');
      }
      ran.push(...pending);
    };
    const turns = createConversationTurns({ store, runtime: runtimeWithEffect(), logger, runEffects });
    const first = await turns.run('c1', { kind: 'start' }, meta);
    expect(first.messages.length).toBeGreaterThan(0); // the professional still got their answer
    expect(ran).toHaveLength(0);
    expect((await store.load('c1')).record?.pendingEffects).toHaveLength(1);

    await turns.run('c1', { kind: 'text', text: 'help' }, meta);
    expect(ran).toEqual([{ effect: { kind: 'audit.append', id: 'decision-1', payload: { recordType: 'test' } }, actor: { channelId: 'test', userId: 'u1', userName: 'Test Professional' } }]);
    expect((await store.load('c1')).record?.pendingEffects).toEqual([]);
  });
});
