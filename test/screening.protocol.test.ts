import { expect } from '@jest/globals';
import type { SentActivity } from './support/activities';
import { botClient, questionIn } from './support/botClient';
import { readAuditFile } from './support/auditFile';
import { indicatorAnswers } from './support/indicatorAnswers';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

let service: ServiceProcess;
let connector: FakeConnector;
const dataDir = tempDataDir();
const key = testKey();
let n = 0;

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: key });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

async function screen(answers: string[]) {
  const client = botClient(() => service.url, connector, `screening-${++n}`, { id: 'nurse-1', name: 'Test Nurse' });
  await client.join();
  const replies: SentActivity[] = [];
  for (const text of answers) {
    const { status, replies: got } = await client.say(text);
    expect(status).toBe(200);
    replies.push(...got);
  }
  const results = replies.filter((r) => r.value?.type === 'safeguarding.screeningResult');
  expect(results).toHaveLength(1);
  return { result: results[0], replies };
}

const narrative = 'Test Child has an older boyfriend and was picked up in a car by men.';

describe('exploitation screening over /api/messages', () => {
  it('reaches category 1 (mild) by titles', async () => {
    const { result } = await screen([
      'Is this exploitation?',
      'no',
      'A child (under 18)',
      '15',
      'none',
      'Nothing specific, she just seems quiet.',
      'no',
      ...indicatorAnswers({ 'screen-health-behaviour': 'Drug or alcohol misuse' }),
      'no',
    ]);
    expect(result.value).toMatchObject({ category: 1, label: 'mild', pathway: 'early-help', urgency: 'routine' });
    expect(result.text).toMatch(/^Category 1 \(mild\): one risk indicator, drug or alcohol misuse\./);
  });

  it('reaches category 3 (moderate) by numbers and comma lists, with its reasons', async () => {
    const { result, replies } = await screen([
      '2',
      'No',
      '1',
      '14 years',
      'none',
      narrative,
      '1, 2',
      'yes',
      'no',
      '2',
      ...indicatorAnswers({ 'screen-vulnerabilities': '3, 1' }),
      'no',
    ]);
    expect(result.value).toMatchObject({
      category: 3,
      pathway: 'mash-referral',
      urgency: 'same-day',
      counts: { total: 3, significant: 2, critical: 0 },
      indicators: expect.arrayContaining([expect.objectContaining({ id: 'older-partner', weight: 'significant' })]),
    });
    expect(result.text).toMatch(/two significant indicators, older partner and vehicles driven by unknown adults/);
    expect(questionIn(replies).id).toBe('screen-judgement');
    // The narrative names the child: it must appear in neither the result nor the audit record.
    expect(JSON.stringify(result.value)).not.toContain('Test Child');
    const audit = readAuditFile(dataDir, key).find((e) => e.id === result.value?.screeningId);
    expect(audit).toMatchObject({ recordType: 'screening', actor: { userId: 'nurse-1' }, payload: { category: 3 } });
    expect(JSON.stringify(audit)).not.toContain('Test Child');
  });

  it('reaches category 4 (significant) for a young child missing regularly, leading with the phone call', async () => {
    const { result } = await screen([
      'screening',
      'no',
      'child',
      '12',
      'none',
      'I am worried about her.',
      'yes',
      'no',
      '4',
      ...indicatorAnswers({ 'screen-people': 'Vehicles driven by unknown adults, isolated' }),
      'no',
    ]);
    expect(result.value).toMatchObject({ category: 4, label: 'significant', pathway: 'mash-referral', urgency: 'immediate' });
    expect(result.text).toMatch(/call the police first .* Then phone now:/);
  });
});
