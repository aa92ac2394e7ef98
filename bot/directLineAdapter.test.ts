import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import { loadDefaultPack, serviceWordsOf } from '../flows';
import { createEmbeddedTranscriptStore, createEnvelopeCipher, createTranscriptCodec, encryptionKey, type TranscriptActivity } from '../integrations';
import { DirectLineAdapter, professionalOf } from './directLineAdapter';

const codec = createTranscriptCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
const now = new Date('2026-03-02T10:00:00Z');

async function setUp() {
  const transcripts = await createEmbeddedTranscriptStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-dl-adapter-')), codec, ttlMs: 3600_000 });
  await transcripts.create({ conversationId: 'c1', user: { id: 'pro-1' }, createdAt: now.toISOString() });
  const appended: string[] = [];
  const ephemeral: TranscriptActivity[] = [];
  const adapter = new DirectLineAdapter({
    transcripts,
    logger: pino({ level: 'silent' }),
    words: serviceWordsOf(loadDefaultPack()),
    now: () => now,
    listener: { appended: (id) => appended.push(id), ephemeral: (_id, activity) => ephemeral.push(activity) },
  });
  const incoming = {
    type: ActivityTypes.Message,
    id: 'c1|0000001',
    text: 'hello',
    channelId: 'webchat',
    serviceUrl: 'urn:internal',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'pro-1', name: '' },
    recipient: { id: 'bot', name: 'Bot' },
  };
  const turn = (logic: (context: TurnContext) => Promise<void>) => adapter.processActivity(incoming, logic, { id: 'pro-1', organisation: 'Test School' });
  return { transcripts, adapter, appended, ephemeral, turn };
}

describe('DirectLineAdapter', () => {
  it('stores replies addressed to the professional, with ids, and announces them', async () => {
    const { transcripts, appended, turn } = await setUp();
    let ids: string[] = [];
    await turn(async (context) => {
      expect(professionalOf(context)).toEqual({ id: 'pro-1', organisation: 'Test School' });
      ids = (
        await context.sendActivities([
          Activity.fromObject({ type: 'message', text: 'one' }),
          Activity.fromObject({ type: 'delay', value: 1 }),
          Activity.fromObject({ type: 'message', text: 'two' }),
        ])
      ).map((r) => r.id);
    });
    expect(ids).toEqual(['c1|0000001', '', 'c1|0000002']);
    expect(appended).toEqual(['c1', 'c1']);
    const [one] = (await transcripts.read('c1', 0)) ?? [];
    expect(one.activity).toMatchObject({
      type: 'message',
      id: 'c1|0000001',
      text: 'one',
      channelId: 'webchat',
      timestamp: now.toISOString(),
      replyToId: 'c1|0000001',
      conversation: { id: 'c1' },
      from: { id: 'bot', name: 'Bot' },
      recipient: { id: 'pro-1' },
    });
    expect(one.activity.serviceUrl).toBeUndefined();
  });

  it('sends typing live only, and appends updates and deletions to the history', async () => {
    const { transcripts, ephemeral, turn } = await setUp();
    await turn(async (context) => {
      await context.sendActivity(new Activity(ActivityTypes.Typing));
      const { id } = (await context.sendActivity('draft')) ?? { id: '' };
      await context.updateActivity(Activity.fromObject({ id, type: 'message', text: 'final' }));
      await context.deleteActivity(id);
    });
    expect(ephemeral.map((a) => a.type)).toEqual(['typing']);
    const stored = ((await transcripts.read('c1', 0)) ?? []).map((e) => e.activity);
    expect(stored.map((a) => [a.type, a.id, a.text ?? a.replyToId])).toEqual([
      ['message', 'c1|0000001', 'draft'],
      ['message', 'c1|0000001', 'final'],
      ['messageDelete', 'c1|0000003', 'c1|0000001'],
    ]);
  });

  it('apologises when the bot throws', async () => {
    const { transcripts, turn } = await setUp();
    await turn(async () => {
      throw new Error('boom');
    });
    const [sorry] = (await transcripts.read('c1', 0)) ?? [];
    expect(sorry.activity.text).toMatch(/call 999/);
  });
});
