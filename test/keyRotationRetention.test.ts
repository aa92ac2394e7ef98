import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptionKey, storageKeyOf } from '../integrations';
import { createLogger, loadConfig } from '../server';
import { conversationRetentionMs, createPersistence } from '../server/createPersistence';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess } from './support/serviceInProcess';
import { waitFor } from './support/waitFor';

const hour = 3600 * 1000;

describe('retention settings', () => {
  it('keeps conversations and transcripts RETENTION_CONVERSATION_HOURS, else CONVERSATION_TTL_HOURS, else 24 h', () => {
    expect(conversationRetentionMs(loadConfig({}))).toBe(24 * hour);
    expect(conversationRetentionMs(loadConfig({ CONVERSATION_TTL_HOURS: '12' }))).toBe(12 * hour);
    expect(conversationRetentionMs(loadConfig({ CONVERSATION_TTL_HOURS: '12', RETENTION_CONVERSATION_HOURS: '2' }))).toBe(2 * hour);
  });

  it('keeps handoffs 30 days by default and rejects nonsense with a clear message', () => {
    expect(loadConfig({}).RETENTION_HANDOFF_DAYS).toBe(30);
    expect(loadConfig({ RETENTION_HANDOFF_DAYS: '90' }).RETENTION_HANDOFF_DAYS).toBe(90);
    expect(() => loadConfig({ RETENTION_HANDOFF_DAYS: '0' })).toThrow('RETENTION_HANDOFF_DAYS must be a whole number of days from 1 to 3650');
    expect(() => loadConfig({ RETENTION_CONVERSATION_HOURS: '-1' })).toThrow('RETENTION_CONVERSATION_HOURS must be a number of hours greater than 0');
  });
});

describe('retention applied by the stores', () => {
  it('stamps a saved conversation to expire RETENTION_CONVERSATION_HOURS later, and the purge leaves a live one alone', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RETENTION_CONVERSATION_HOURS: '2' };
    const persistence = await createPersistence(loadConfig(env), [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY, 'base64'))], createLogger('silent'));
    const before = Date.now();
    const record = {
      machineId: 'm',
      machineVersion: '1',
      snapshot: {},
      trail: [],
      turn: 0,
      contentVersion: 't',
      startedAt: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
    };
    await persistence.store.save('conv-retention', record, 0);
    const file = JSON.parse(readFileSync(join(env.DATA_DIR, 'conversations', `${storageKeyOf('conv-retention')}.json`), 'utf8')) as { expiresAt: number };
    expect(file.expiresAt).toBeGreaterThanOrEqual(before + 2 * hour);
    expect(file.expiresAt).toBeLessThanOrEqual(Date.now() + 2 * hour);
    expect(await persistence.purgeExpired?.()).toBe(0);
    expect((await persistence.store.load('conv-retention')).record).toEqual(record);
    await persistence.close();
  });

  it('keeps an open handoff while it is in progress and a closed one RETENTION_HANDOFF_DAYS from closing', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RETENTION_HANDOFF_DAYS: '30' };
    const persistence = await createPersistence(loadConfig(env), [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY, 'base64'))], createLogger('silent'));
    const expiresAt = () => (JSON.parse(readFileSync(join(env.DATA_DIR, 'handoffs', `${storageKeyOf('handoff-ret')}.json`), 'utf8')) as { expiresAt: number }).expiresAt;
    await persistence.handoffs.open({
      handoffId: 'handoff-ret',
      kind: 'talk-to-coordinator',
      referrer: { channelId: 'webchat', conversation: {} },
      summary: 'Asked to talk to a coordinator.',
      urgency: 'routine',
      createdAt: new Date().toISOString(),
      status: 'open',
      messages: [],
    });
    // Open: nobody touching it for 30 days must not make a child's case disappear.
    expect(expiresAt()).toBeGreaterThanOrEqual(Date.now() + 364 * 24 * hour);
    const closedAt = Date.now();
    await persistence.handoffs.update('handoff-ret', (h) => ({ ...h, status: 'closed', closedAt: new Date(closedAt).toISOString() }));
    expect(expiresAt()).toBeGreaterThanOrEqual(closedAt + 30 * 24 * hour);
    expect(expiresAt()).toBeLessThanOrEqual(Date.now() + 30 * 24 * hour);
    await persistence.close();
  });

  it('removes conversations past retention when the service starts and logs how many', async () => {
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RETENTION_CONVERSATION_HOURS: '0.0001' };
    const persistence = await createPersistence(loadConfig(env), [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY, 'base64'))], createLogger('silent'));
    const record = {
      machineId: 'm',
      machineVersion: '1',
      snapshot: {},
      trail: [],
      turn: 0,
      contentVersion: 't',
      startedAt: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
    };
    await persistence.store.save('conv-expired', record, 0);
    await persistence.close();
    const file = join(env.DATA_DIR, 'conversations', `${storageKeyOf('conv-expired')}.json`);
    await waitFor(() => (JSON.parse(readFileSync(file, 'utf8')) as { expiresAt: number }).expiresAt < Date.now(), 'the conversation to expire');
    const service = await startInProcess(env);
    try {
      await waitFor(() => service.output().includes('expired documents purged'), 'the start-up purge');
      const line = service
        .output()
        .split('\n')
        .find((l) => l.includes('expired documents purged')) as string;
      expect(JSON.parse(line)).toMatchObject({ documents: 1 });
      expect(existsSync(file)).toBe(false);
    } finally {
      await service.stop();
    }
  });
});
