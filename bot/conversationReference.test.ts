import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Activity } from '@microsoft/agents-activity';
import { loadDefaultPack, serviceWordsOf } from '../flows';
import { createEmbeddedTranscriptStore, createEnvelopeCipher, createTranscriptCodec, encryptionKey } from '../integrations';
import { referenceOf, toSdkReference } from './conversationReference';
import { DirectLineAdapter } from './directLineAdapter';

/** A reference exactly as botbuilder 4.23's getConversationReference stored it (referral records, handoffs). */
const storedByBotbuilder = {
  activityId: 'c1|0000004',
  user: { id: 'pro-1', name: 'Test Teacher', aadObjectId: 'aad-test-teacher' },
  bot: { id: '28:safeguarding-bot', name: 'Safeguarding bot' },
  conversation: { id: 'c1', isGroup: false, conversationType: 'personal', tenantId: 'tenant-1' },
  channelId: 'webchat',
  locale: 'en-GB',
  serviceUrl: 'urn:safeguarding-bot:directline',
};

describe('stored conversation references', () => {
  it('are stored in the protocol shape botbuilder used (bot, not agent), so old and new records read alike', () => {
    const incoming = Activity.fromObject({
      type: 'message',
      id: 'c1|0000004',
      channelId: 'webchat',
      serviceUrl: storedByBotbuilder.serviceUrl,
      locale: 'en-GB',
      from: storedByBotbuilder.user,
      recipient: storedByBotbuilder.bot,
      conversation: storedByBotbuilder.conversation,
      text: 'hello',
    });
    expect(referenceOf(incoming)).toEqual(storedByBotbuilder);
  });

  it('load for the SDK whether stored by botbuilder or by us, and not at all without a conversation', () => {
    expect(toSdkReference(storedByBotbuilder)).toMatchObject({ agent: storedByBotbuilder.bot, user: storedByBotbuilder.user, conversation: { id: 'c1' } });
    expect(toSdkReference({ ...storedByBotbuilder, bot: undefined, agent: { id: '28:x' } })).toMatchObject({ agent: { id: '28:x' } });
    expect(toSdkReference({ channelId: 'msteams', serviceUrl: 'https://smba.example/' })).toBeUndefined();
    expect(toSdkReference('not a reference')).toBeUndefined();
  });

  it('reach the professional: an update sent through a reference botbuilder stored arrives from the bot, to them', async () => {
    const codec = createTranscriptCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
    const transcripts = await createEmbeddedTranscriptStore({ dataDir: mkdtempSync(join(tmpdir(), 'sg-reference-')), codec, ttlMs: 3600_000 });
    await transcripts.create({ conversationId: 'c1', user: { id: 'pro-1' }, createdAt: new Date().toISOString() });
    const adapter = new DirectLineAdapter({
      transcripts,
      logger: pino({ level: 'silent' }),
      words: serviceWordsOf(loadDefaultPack()),
      listener: { appended: () => undefined, ephemeral: () => undefined },
    });
    await adapter.continueConversation({ aud: '' }, storedByBotbuilder, async (context) => {
      await context.sendActivity('The MASH has decided on your referral.');
    });
    const [update] = ((await transcripts.read('c1', 0)) ?? []).map((e) => e.activity);
    expect(update).toMatchObject({ text: 'The MASH has decided on your referral.', from: { id: '28:safeguarding-bot' }, recipient: { id: 'pro-1' }, conversation: { id: 'c1' } });
  });
});
