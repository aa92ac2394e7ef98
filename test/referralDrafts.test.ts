import { expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { storageKeyOf, type AuditEntry } from '../integrations';
import type { OutgoingMessage, TurnInput } from '../flows';
import { loadConfig } from '../server';
import { eraseProfessional, findProfessionalHoldings } from '../server/cli/erasure';
import type { Persistence } from '../server/createPersistence';
import { referralAnswers } from './support/referralAnswers';
import { deleteByPrefix, describeWithRedis, newRedis, redisUrl, uniquePrefix } from './support/redis';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { tempDataDir, testKey } from './support/serviceProcess';

/**
 * Referral drafts (issue 20 item 2), on both stores: an unfinished referral is saved on every answer,
 * listed under "My referrals", resumed in a new conversation once the old one has gone, discarded when
 * filed or cancelled, erased, expired after RETENTION_DRAFT_DAYS with an audit entry, and encrypted at rest.
 */
const teacher = 'teacher-drafts-1';
const meta = (conversationId: string) => ({ channelId: 'msteams', userId: teacher, userName: 'Test Teacher', conversationKey: storageKeyOf(conversationId), now: new Date() });
const childName = 'Zebedee';
const upToPostcode = referralAnswers.slice(0, referralAnswers.indexOf('gl1 2tg') + 1).map((a) => (a === 'Test' ? childName : a));
const afterPostcode = referralAnswers.slice(referralAnswers.indexOf('gl1 2tg') + 1);
const day = 24 * 3600_000;

interface Setup {
  service: InProcessService;
  persistence: Persistence;
  /** The raw bytes the store holds for drafts (files or Redis values), to check nothing is in clear. */
  rawDrafts(): Promise<string>;
}

const questionOf = (messages: OutgoingMessage[]) => (messages[messages.length - 1]?.value as { id?: string } | undefined)?.id;

async function turn(s: Setup, conversationId: string, input: TurnInput) {
  return s.service.services.turns.run(conversationId, input, meta(conversationId), { conversation: { id: conversationId }, user: { id: teacher }, channelId: 'msteams' });
}

async function say(s: Setup, conversationId: string, answers: string[]) {
  let last: OutgoingMessage[] = [];
  for (const text of answers) last = (await turn(s, conversationId, { kind: 'text', text })).messages;
  return last;
}

async function auditOf(s: Setup, recordType: string): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  for await (const entry of s.persistence.audit.entriesSince(new Date(0))) if (entry.recordType === recordType) found.push(entry);
  return found;
}

/** A conversation whose referral stopped after the postcode: six answers about the child kept as a draft. */
async function unfinished(s: Setup, conversationId: string) {
  await turn(s, conversationId, { kind: 'start' });
  const last = await say(s, conversationId, upToPostcode);
  expect(questionOf(last)).toBe('ref-child-school');
}

function suite(name: string, open: () => Promise<Setup>, close: (s: Setup) => Promise<void>) {
  describe(name, () => {
    let s: Setup;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await close(s);
    });

    it('saves the referral on every answer, lists it under My referrals, and holds nothing in clear', async () => {
      await unfinished(s, 'conv-a');
      const listed = await s.service.services.drafts.listFor('msteams', teacher);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ draftId: expect.stringMatching(/^DR-[0-9A-F]{12}$/), answers: 6 });
      expect(Date.parse(listed[0].keptUntil) - Date.parse(listed[0].savedAt)).toBe(7 * day);

      const mine = await s.service.services.myReferrals.message('msteams', teacher);
      expect(mine.text).toContain(listed[0].draftId);
      expect(mine.suggestedActions).toEqual([{ value: 'continue referral', title: 'Continue referral' }]);
      expect(mine.text).not.toContain(childName);

      const raw = await s.rawDrafts();
      expect(raw.length).toBeGreaterThan(0);
      expect(raw).not.toContain(childName);
      expect(raw).not.toContain('gl1 2tg');
    });

    it('resumes in a new conversation once the old one has gone, at the next question, and files once: the draft goes with an audit entry', async () => {
      await unfinished(s, 'conv-b');
      const [draft] = await s.service.services.drafts.listFor('msteams', teacher);
      await s.persistence.store.delete('conv-b'); // the old conversation expired

      await turn(s, 'conv-c', { kind: 'start' });
      const resume = await s.service.services.drafts.resumeInput('msteams', teacher);
      expect(resume).toBeDefined();
      const resumed = await turn(s, 'conv-c', resume as TurnInput);
      expect(resumed.messages.map((m) => m.text).join('\n')).toContain('Carrying on with your unfinished referral');
      expect(questionOf(resumed.messages)).toBe('ref-child-school');

      const review = await say(s, 'conv-c', afterPostcode);
      expect(questionOf(review)).toBe('ref-confirm');
      expect(review[review.length - 1].text).toContain(childName); // the answers typed before are all there
      const filed = await say(s, 'conv-c', ['Send the referral']);
      expect(filed.some((m) => (m.value as { type?: string } | undefined)?.type === 'safeguarding.referralFiled')).toBe(true);

      expect(await s.service.services.drafts.listFor('msteams', teacher)).toEqual([]);
      const discarded = await auditOf(s, 'draft-discarded');
      expect(discarded).toEqual([expect.objectContaining({ id: `draft-discarded.${draft.draftId}`, payload: { draftId: draft.draftId, reason: 'filed' } })]);
      expect(JSON.stringify(discarded)).not.toContain(childName);
    });

    it('is discarded when the referral is cancelled', async () => {
      await unfinished(s, 'conv-d');
      await say(s, 'conv-d', afterPostcode);
      await say(s, 'conv-d', ['Cancel, do not send']);
      expect(await s.service.services.drafts.listFor('msteams', teacher)).toEqual([]);
      expect((await auditOf(s, 'draft-discarded')).map((e) => e.payload.reason)).toEqual(['cancelled']);
    });

    it('"continue referral" mid-flow says to finish first, and with no draft says there is none', async () => {
      await unfinished(s, 'conv-e');
      const resume = await s.service.services.drafts.resumeInput('msteams', teacher);
      const busy = await turn(s, 'conv-e', resume as TurnInput);
      expect(busy.messages[0].text).toContain('You are in the middle of something else');
      expect(questionOf(busy.messages)).toBe('ref-child-school');
      expect(await s.service.services.drafts.resumeInput('msteams', 'someone-else')).toBeUndefined();
    });

    it('expires RETENTION_DRAFT_DAYS after its last change, with an audit entry', async () => {
      await unfinished(s, 'conv-f');
      const [draft] = await s.service.services.drafts.listFor('msteams', teacher);
      expect(await s.service.services.drafts.expire(new Date(Date.now() + 6 * day))).toBe(0);
      expect(await s.service.services.drafts.expire(new Date(Date.now() + 7 * day + 60_000))).toBe(1);
      expect(await s.service.services.drafts.listFor('msteams', teacher)).toEqual([]);
      expect(await auditOf(s, 'draft-expired')).toEqual([
        expect.objectContaining({
          id: `draft-expired.${draft.draftId}`,
          actor: expect.objectContaining({ userId: teacher }),
          payload: expect.objectContaining({ draftId: draft.draftId }),
        }),
      ]);
    });

    it('is erased with the professional (npm run erase -- --professional)', async () => {
      await unfinished(s, 'conv-g');
      const holdings = await findProfessionalHoldings(s.persistence, teacher);
      const counts = await eraseProfessional(s.persistence, teacher, holdings);
      expect(counts['referral-draft']).toBe(1);
      expect(await s.service.services.drafts.listFor('msteams', teacher)).toEqual([]);
      expect(await s.rawDrafts()).toBe('');
    });
  });
}

describe('RETENTION_DRAFT_DAYS', () => {
  it('defaults to 7 whole days and refuses anything else by name', () => {
    expect(loadConfig({}).RETENTION_DRAFT_DAYS).toBe(7);
    expect(loadConfig({ RETENTION_DRAFT_DAYS: '14' }).RETENTION_DRAFT_DAYS).toBe(14);
    expect(() => loadConfig({ RETENTION_DRAFT_DAYS: '0' })).toThrow('RETENTION_DRAFT_DAYS must be a whole number of days from 1 to 365');
    expect(() => loadConfig({ RETENTION_DRAFT_DAYS: '1.5' })).toThrow('RETENTION_DRAFT_DAYS must be a whole number of days from 1 to 365');
  });
});

function persisted(persistence: Persistence | undefined): Persistence {
  if (!persistence) throw new Error('createApp did not hand over its persistence');
  return persistence;
}

const baseEnv = (dataDir: string) => ({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), LOG_LEVEL: 'silent', MASH_REFERENCE: 'off' });

suite(
  'referral drafts, embedded store',
  async () => {
    const dataDir = tempDataDir();
    const held: { persistence?: Persistence } = {};
    const service = await startInProcess(baseEnv(dataDir), { persistence: (p) => (held.persistence = p) });
    const folder = join(dataDir, 'referral-drafts');
    const rawDrafts = async () => {
      let files: string[];
      try {
        files = readdirSync(folder);
      } catch {
        return '';
      }
      return files.map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
    };
    return { service, persistence: persisted(held.persistence), rawDrafts };
  },
  (s) => s.service.stop(),
);

describeWithRedis('on Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });
  const prefixes = new Map<InProcessService, string>();
  suite(
    'referral drafts, Redis',
    async () => {
      const prefix = uniquePrefix();
      const held: { persistence?: Persistence } = {};
      const service = await startInProcess(
        { ...baseEnv(tempDataDir()), REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, REDIS_PERSISTENCE: 'attested' },
        { persistence: (p) => (held.persistence = p) },
      );
      prefixes.set(service, prefix);
      const rawDrafts = async () => {
        const keys = (await redis.keys(`${prefix}*`)).filter((k) => k.includes('referral-draft'));
        const values = await Promise.all(keys.map((k) => redis.hgetall(k)));
        return values.map((v) => JSON.stringify(v)).join('\n');
      };
      return { service, persistence: persisted(held.persistence), rawDrafts };
    },
    async (s) => {
      await s.service.stop();
      await deleteByPrefix(redis, prefixes.get(s.service) ?? 'none');
    },
  );
});
