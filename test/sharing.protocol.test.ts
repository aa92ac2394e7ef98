import { expect } from '@jest/globals';
import { z } from 'zod';
import type { SentActivity } from './support/activities';
import { botClient, questionIn } from './support/botClient';
import { readAuditFile } from './support/auditFile';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { parsed } from './support/json';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

let service: ServiceProcess;
let connector: FakeConnector;
const dataDir = tempDataDir();
const key = testKey();
let n = 0;
const professional = { id: 'teacher-1', name: 'Test Teacher' };

/** What the tests read of a sharing decision's value (flows' `SharingDecision`). */
const sharingDecision = z.looseObject({ decisionId: z.string(), outcome: z.string(), reason: z.string().optional(), lawfulBasisCodes: z.array(z.string()) });

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

/** Answers in order from the menu; returns the sharing decision value and every reply. */
async function decide(answers: string[]) {
  const client = botClient(() => service.url, connector, `sharing-${++n}`, professional);
  await client.join();
  const replies: SentActivity[] = [];
  for (const text of ['Should I share this?', ...answers]) {
    const { status, replies: got } = await client.say(text);
    expect(status).toBe(200);
    replies.push(...got);
  }
  const results = replies.filter((r) => r.value?.type === 'safeguarding.sharingDecision');
  expect(results).toHaveLength(1);
  return { decision: parsed(results[0].value, sharingDecision, 'the sharing decision'), text: results[0].text as string, replies, client };
}

// Answers mix button titles (any case) and numbers, as professionals type them.
const cases: Array<[string, string[], string, string | undefined]> = [
  ['do-not-share (not about safety)', ['No'], 'do-not-share', undefined],
  ['seek-advice (unsure)', ['3'], 'seek-advice', undefined],
  ['emergency', ['yes', 'YES', '1'], 'emergency', undefined],
  ['share (consent given)', ['1', 'no', 'yes', '2', 'Yes, they agreed', 'The police'], 'share', undefined],
  [
    'share-without-consent (not asked, a child at risk of harm)',
    ['yes', '2', '1', 'A public body', 'I have not asked', 'yes', 'yes', '1'],
    'share-without-consent',
    'risk-of-harm',
  ],
  [
    'share-without-consent (refusal, a child at risk of harm)',
    ['yes', 'no', 'yes', 'charity', 'They refused', 'Yes', 'no', 'The MASH (Children and Families Help Desk)'],
    'share-without-consent',
    'overridden-refusal',
  ],
  ['seek-consent (no risk of harm)', ['yes', 'no', 'yes', '1', '3', 'no', 'no', 'no', 'yes', 'yes'], 'seek-consent', undefined],
];

describe('"Should I share this?" over /api/messages', () => {
  it.each(cases)('reaches %s', async (_name, answers, outcome, reason) => {
    const { decision, text, replies } = await decide(answers);
    expect(decision).toMatchObject({ outcome, contentVersion: expect.any(String), recordedAt: expect.any(String) });
    expect(decision.reason).toBe(reason);
    expect(decision.decisionId).toMatch(/^share-[0-9a-f]{24}$/);
    expect(text).toMatch(/record/i);
    if (outcome === 'share-without-consent' || outcome === 'emergency') expect(text).toMatch(/Lawful basis to record: UK GDPR Article 6\(1\)\((e|ea|d)\)/);
    if (outcome !== 'do-not-share' && outcome !== 'seek-advice') expect(decision.lawfulBasisCodes.length).toBeGreaterThan(0);
    expect(questionIn(replies).id).toBe('share-next');

    const audit = readAuditFile(dataDir, key).find((e) => e.id === decision.decisionId);
    expect(audit).toMatchObject({
      recordType: 'sharing-decision',
      actor: { channelId: 'emulator', userId: professional.id, userName: professional.name },
      payload: { outcome, decisionId: decision.decisionId },
    });
  });

  it('writes exactly one audit record per decision', () => {
    const ids = readAuditFile(dataDir, key).map((e) => e.id);
    expect(ids).toHaveLength(cases.length);
    expect(new Set(ids).size).toBe(cases.length);
  });

  it('starts from free text about consent and returns the record on "my record"', async () => {
    const client = botClient(() => service.url, connector, `sharing-${++n}`, professional);
    await client.join();
    const entered = await client.say('Do I need consent to tell the school nurse?');
    expect(questionIn(entered.replies).id).toBe('share-purpose');
    for (const text of ['yes', 'no', 'no']) await client.say(text);
    const decided = await client.say('The police');
    const decision = parsed(decided.replies.find((r) => r.value?.type === 'safeguarding.sharingDecision')?.value, sharingDecision, 'the sharing decision');
    const record = await client.say('My record');
    expect(record.replies[0].text).toContain(`Decision ID: ${decision.decisionId}`);
  });
});
