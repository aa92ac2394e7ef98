import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { encryptionKey, storageKeyOf, webChatBindingRefreshMs, type ProfessionalIdentity } from '../integrations';
import { createLogger, loadConfig } from '../server';
import { main as erase } from '../server/cli/erase';
import { createPersistence, type Persistence } from '../server/createPersistence';
import { newConversationId } from '../server/directline';
import { createWebChatConversations, type WebChatConversations } from '../server/services';
import { captureCli } from './support/cliOutput';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { tempDataDir, testKey } from './support/serviceProcess';

/**
 * Web chat continuity (issue 20 item 1): a professional's current conversation is bound to their sign-in's
 * user id, in an encrypted document kept as long as the conversation, on either store. What is checked:
 * resuming, identity isolation, two pages at once, expiry and refresh, and erasure.
 */
const ann: ProfessionalIdentity = { id: 'local-ann-example', name: 'Ann Example' };
const bob: ProfessionalIdentity = { id: 'local-bob-example', name: 'Bob Example' };
const retentionHours = 2;
const retentionMs = retentionHours * 3600_000;
const at = '2026-03-02T10:00:00.000Z';

const fileSchema = z.object({ rev: z.number(), expiresAt: z.number() });

interface Setup {
  env: NodeJS.ProcessEnv;
  persistence: Persistence;
  conversations: WebChatConversations;
  /** The service's clock: tests move it past the grace a just-bound conversation gets. */
  clock: { now: number };
  /** Milliseconds until the professional's binding expires, as the store holds it. */
  bindingTtl(userId: string): Promise<number>;
  /** Closes the stores once (a test that runs the erase command closes them first). */
  close(): Promise<void>;
}

function open(env: NodeJS.ProcessEnv): Promise<Persistence> {
  return createPersistence(loadConfig(env), [encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY as string, 'base64'))], createLogger('silent'));
}

async function setUp(env: NodeJS.ProcessEnv, bindingTtl: Setup['bindingTtl']): Promise<Setup> {
  const persistence = await open(env);
  let closing: Promise<void> | undefined;
  const clock = { now: Date.now() };
  const conversations = createWebChatConversations({
    bindings: persistence.webChatBindings,
    transcripts: persistence.transcripts,
    newConversationId,
    logger: createLogger('silent'),
    now: () => clock.now,
  });
  return { env, persistence, conversations, clock, bindingTtl, close: () => (closing ??= persistence.close()) };
}

/** What the page does with its token: `POST /conversations` creates the transcript of a new conversation. */
const startPage = (s: Setup, conversationId: string, user: ProfessionalIdentity) => s.persistence.transcripts.create({ conversationId, user, createdAt: at });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not within 2 s: ${what}`);
}

function continuityCases(setup: () => Setup) {
  it('binds a new conversation to the professional, and every later page resumes it while it exists', async () => {
    const s = setup();
    const first = await s.conversations.currentFor(ann);
    expect(first.resumed).toBe(false);
    await startPage(s, first.conversationId, ann);
    expect(await s.conversations.currentFor(ann)).toEqual({ conversationId: first.conversationId, resumed: true });
    expect(await s.conversations.currentFor(ann)).toEqual({ conversationId: first.conversationId, resumed: true });
  });

  it("never gives one professional another's conversation, even when a binding names it", async () => {
    const s = setup();
    const anns = await s.conversations.currentFor(ann);
    await startPage(s, anns.conversationId, ann);
    const bobs = await s.conversations.currentFor(bob);
    expect(bobs.conversationId).not.toBe(anns.conversationId);
    // A binding tampered with (or a bug) to name Ann's conversation under Bob: the transcript says whose it is.
    const { rev } = await s.persistence.webChatBindings.load(bob.id);
    expect(await s.persistence.webChatBindings.bind(bob.id, anns.conversationId, rev)).toBe(true);
    const again = await s.conversations.currentFor(bob);
    expect(again.conversationId).not.toBe(anns.conversationId);
    expect(again.resumed).toBe(false);
    // Ann's binding is untouched by all of that.
    expect(await s.conversations.currentFor(ann)).toEqual({ conversationId: anns.conversationId, resumed: true });
  });

  it('gives two pages opening at once the same conversation (compare-and-set)', async () => {
    const s = setup();
    const carol = { id: `local-carol-${newConversationId().slice(0, 8)}` };
    const pages = await Promise.all([1, 2, 3].map(() => s.conversations.currentFor(carol)));
    expect(new Set(pages.map((p) => p.conversationId)).size).toBe(1);
  });

  it('starts a new conversation once the bound one has gone, or was bound but never started', async () => {
    const s = setup();
    const dan = { id: `local-dan-${newConversationId().slice(0, 8)}` };
    const first = await s.conversations.currentFor(dan);
    // Never started (the page closed at once): the grace of a page that is starting it runs out.
    s.clock.now += 3 * 60_000;
    const second = await s.conversations.currentFor(dan);
    expect(second.conversationId).not.toBe(first.conversationId);
    await startPage(s, second.conversationId, dan);
    // Gone (expired with RETENTION_CONVERSATION_HOURS, or erased): a new one, bound in its place.
    await s.persistence.transcripts.erase(second.conversationId);
    const third = await s.conversations.currentFor(dan);
    expect(third).toEqual({ conversationId: expect.not.stringMatching(second.conversationId), resumed: false });
    expect((await s.persistence.webChatBindings.load(dan.id)).binding?.conversationId).toBe(third.conversationId);
  });

  it('keeps the binding as long as the conversation (plus the refresh interval), and activity keeps it alive', async () => {
    const s = setup();
    const erin = { id: `local-erin-${newConversationId().slice(0, 8)}` };
    const { conversationId } = await s.conversations.currentFor(erin);
    await startPage(s, conversationId, erin);
    const kept = await s.bindingTtl(erin.id);
    expect(kept).toBeGreaterThan(retentionMs + webChatBindingRefreshMs - 60_000);
    expect(kept).toBeLessThanOrEqual(retentionMs + webChatBindingRefreshMs);

    // The transcript grew (the professional wrote, or a coordinator asked something): the binding is saved again.
    const before = (await s.persistence.webChatBindings.load(erin.id)).rev;
    s.clock.now += webChatBindingRefreshMs;
    s.conversations.grew(conversationId);
    await until(async () => (await s.persistence.webChatBindings.load(erin.id)).rev > before, 'the binding saved again');
    // At most once per interval per conversation.
    const after = (await s.persistence.webChatBindings.load(erin.id)).rev;
    s.conversations.grew(conversationId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await s.persistence.webChatBindings.load(erin.id)).rev).toBe(after);
  });

  it('is erased with the professional (and their bound conversation), and with the conversation it names', async () => {
    const s = setup();
    const fay = { id: `local-fay-${newConversationId().slice(0, 8)}` };
    const gus = { id: `local-gus-${newConversationId().slice(0, 8)}` };
    const fays = await s.conversations.currentFor(fay);
    await startPage(s, fays.conversationId, fay);
    await s.persistence.transcripts.append(fays.conversationId, [{ type: 'message', text: 'Test Child, NHS 9434765919' }]);
    const gusFirst = await s.conversations.currentFor(gus);
    await startPage(s, gusFirst.conversationId, gus);
    await s.close();

    // By professional: the binding, and the conversation it named (which no referral or reference led to).
    const byProfessional = await captureCli((io) => erase(['--professional', fay.id], s.env, io));
    expect(byProfessional).toMatchObject({ code: 0, out: expect.stringMatching(/^erased: conversation 0, transcript 1, webchat-binding 1, /) });
    // By conversation: the binding that names it goes too.
    const byConversation = await captureCli((io) => erase(['--conversation', gusFirst.conversationId], s.env, io));
    expect(byConversation).toEqual({ code: 0, out: 'erased: conversation 0, transcript 1, webchat-binding 1; audit entry written', err: '' });

    const persistence = await open(s.env);
    try {
      expect(await persistence.webChatBindings.load(fay.id)).toEqual({ rev: 0 });
      expect(await persistence.transcripts.meta(fays.conversationId)).toBeUndefined();
      expect(await persistence.webChatBindings.load(gus.id)).toEqual({ rev: 0 });
      // Ann's binding, and her conversation, are untouched.
      expect((await persistence.webChatBindings.load(ann.id)).binding).toBeDefined();
    } finally {
      await persistence.close();
    }
  });
}

describe('web chat continuity on the embedded store', () => {
  const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RETENTION_CONVERSATION_HOURS: String(retentionHours) };
  let current: Setup;
  beforeEach(async () => {
    current = await setUp(env, async (userId) => {
      const path = join(env.DATA_DIR, 'webchat-bindings', `${storageKeyOf(`webchat-binding\n${userId}`)}.json`);
      return fileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).expiresAt - Date.now();
    });
  });
  afterEach(async () => {
    await current.close();
  });
  continuityCases(() => current);

  it('stores the binding encrypted: no user id or conversation id in the file', async () => {
    const { conversationId } = await current.conversations.currentFor(ann);
    const path = join(env.DATA_DIR, 'webchat-bindings', `${storageKeyOf(`webchat-binding\n${ann.id}`)}.json`);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(ann.id);
    expect(text).not.toContain(conversationId);
  });
});

describeWithRedis('web chat continuity on Redis', () => {
  const prefix = uniquePrefix();
  const env = { DATA_DIR: tempDataDir(), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, STATE_ENCRYPTION_KEY: testKey(), RETENTION_CONVERSATION_HOURS: String(retentionHours) };
  let redis: ReturnType<typeof newRedis>;
  beforeAll(() => {
    redis = newRedis();
  });
  const bindingKey = (userId: string) => `${prefix}sg:webchat-binding:${storageKeyOf(`webchat-binding\n${userId}`)}`;
  let current: Setup;
  beforeEach(async () => {
    current = await setUp(env, (userId) => redis.pttl(bindingKey(userId)));
  });
  afterEach(async () => {
    await current.close();
  });
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });
  continuityCases(() => current);

  it('stores the binding encrypted: no user id or conversation id in the hash', async () => {
    const { conversationId } = await current.conversations.currentFor(ann);
    const stored = JSON.stringify(await redis.hgetall(bindingKey(ann.id)));
    expect(stored).toContain('"data"');
    expect(stored).not.toContain(ann.id);
    expect(stored).not.toContain(conversationId);
  });
});
