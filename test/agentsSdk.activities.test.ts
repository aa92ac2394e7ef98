import { expect } from '@jest/globals';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService } from './support/serviceInProcess';

/**
 * What the Agents SDK's stricter activity schema means at /api/messages (issue 22 item 1): activities
 * channels really send with empty or null fields (botbuilder took them) still run a turn, and an activity
 * the schema refuses is a clear 400 that sends nothing, not a 500.
 */
let service: InProcessService;
let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

async function post(activity: Record<string, unknown>) {
  const res = await fetch(`${service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channelId: 'msteams', serviceUrl: connector.url, recipient: { id: '28:bot', name: 'Safeguarding bot' }, ...activity }),
  });
  return { status: res.status, body: await res.text() };
}

it('welcomes a professional whose install names the conversation "" and the locale null, as some clients send', async () => {
  const answer = await post({
    type: 'conversationUpdate',
    id: 'install-1',
    locale: null,
    conversation: { id: 'a:sdk-empty', conversationType: 'personal', name: '' },
    from: { id: '29:test-teacher', name: '' },
    membersAdded: [{ id: '29:test-teacher', name: '' }],
  });
  expect(answer.status).toBeLessThan(300);
  const welcome = await until(() => connector.forConversation('a:sdk-empty')[0], 'the welcome');
  expect(JSON.stringify(welcome)).toMatch(/safeguarding/i);
});

it('refuses with a 400 problem, and answers nothing, an activity whose accounts have the wrong type', async () => {
  const answer = await post({ type: 'message', text: 'hello', conversation: { id: 'a:sdk-bad' }, from: { id: '29:test-teacher' }, recipient: 5 });
  expect(answer.status).toBe(400);
  expect(answer.body).toContain('SG-HTTP-BAD-REQUEST');
  expect(answer.body).not.toMatch(/zod|stack|Expected object/i);
  expect(connector.forConversation('a:sdk-bad')).toEqual([]);
});
