import { readFileSync } from 'node:fs';
import { signMashEvent } from '../integrations';
import { launchChromium, type Browser } from './support/chromium';
import { isQuestion, officialClient, textMatches } from './support/directLineClient';
import { fileWebChatReferral } from './support/fileWebChatReferral';
import { startMashStub, type MashStub } from './support/mashStub';
import { until } from './support/referralAnswers';
import { startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { signInLocally, testTeacher, webChatToken, type LocalProfessional } from './support/webSignIn';

jest.setTimeout(180_000);

/**
 * Questions reach the referrer wherever they are (issue 20 item 3), in Chromium: the MASH's information
 * request and a coordinator's question are in "My referrals" with their text, who asked and when, an answer
 * box and a badge; the answer to the MASH reaches the MASH (POST /referrals/{id}/messages with inReplyTo),
 * the answer to the coordinator reaches the handoff and never the MASH; both show as sent, the badge goes.
 */
const mashToken = 'reference-test-token-0123456789';
const webhookSecret = 'webhook-secret-for-the-tab-questions-test-0123';
const axePath = require.resolve('axe-core/axe.min.js');
const coordinator: LocalProfessional = {
  name: 'Test Coordinator',
  role: 'CSE coordinator',
  organisation: 'Test Partnership',
  email: 'coordinator.tab@example.org',
  localRoles: ['coordinator'],
};
const mashQuestion = 'Does the school have the car registration?';
const coordinatorQuestion = 'Is the child safe at home tonight?';
type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };

let stub: MashStub;
let service: ServiceProcess;
let browser: Browser;
let clientReference: string;
let mashReference: string;
let handoffId: string;
let coordinatorCookie: string;

async function listFor(cookie: string) {
  return (await (await fetch(`${service.url}/api/my-referrals`, { headers: { cookie } })).json()) as { referrals: Array<{ status: string; reference?: string }> };
}

/** The teacher asks for a coordinator in the web chat (the handoff the coordinator's question is about). */
async function askForCoordinator(teacherCookie: string): Promise<void> {
  const client = officialClient({ domain: `${service.url}/v3/directline`, token: (await webChatToken(service.url, teacherCookie)).token, webSocket: true });
  try {
    await client.post({ type: 'message', text: 'Talk to a coordinator' });
    await client.waitFor(isQuestion('handoff-note'), 'the note question');
    await new Promise((r) => setTimeout(r, 550));
    await client.post({ type: 'message', text: 'skip' });
    await client.waitFor(textMatches(/is with the CSE coordinators/), 'the handoff opened');
  } finally {
    client.end();
  }
}

async function mashAsks(): Promise<void> {
  const answer = stub.answerFor(clientReference) as { referralId: string; reference: string };
  const body = JSON.stringify({
    eventId: 'evt-tab-1',
    occurredAt: new Date().toISOString(),
    type: 'referral.info-requested',
    referralId: answer.referralId,
    reference: answer.reference,
    clientReference,
    question: mashQuestion,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${service.url}/api/mash/events`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-mash-timestamp': ts, 'x-mash-signature': signMashEvent(body, ts, webhookSecret) },
  });
  expect(res.status).toBe(200);
}

async function coordinatorAsks(): Promise<void> {
  coordinatorCookie = await signInLocally(service.url, coordinator);
  const listed = (await (await fetch(`${service.url}/api/handoffs`, { headers: { cookie: coordinatorCookie } })).json()) as { handoffs: Array<{ handoffId: string }> };
  handoffId = listed.handoffs[0].handoffId;
  const asked = await fetch(`${service.url}/api/handoffs/${handoffId}/ask`, {
    method: 'POST',
    headers: { cookie: coordinatorCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ question: coordinatorQuestion }),
  });
  expect(asked.status).toBe(200);
}

beforeAll(async () => {
  stub = await startMashStub({ token: mashToken });
  service = await startService({
    DATA_DIR: tempDataDir(),
    STATE_ENCRYPTION_KEY: testKey(),
    MASH_INTAKE_URL: stub.baseUrl,
    MASH_API_TOKEN: mashToken,
    MASH_WEBHOOK_SECRET: webhookSecret,
  });
  const cookie = await signInLocally(service.url, testTeacher);
  clientReference = await fileWebChatReferral(service.url, (await webChatToken(service.url, cookie)).token);
  await until(() => stub.storedBody(clientReference), 'the MASH stub to receive the referral');
  for (let i = 0; i < 150 && (await listFor(cookie)).referrals[0]?.status !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 200));
  mashReference = (await listFor(cookie)).referrals[0]?.reference ?? '';
  await askForCoordinator(cookie);
  await mashAsks();
  await coordinatorAsks();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await stub?.close();
});

async function expectAccessible(where: string) {
  await browser.page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await browser.page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

const questionItem = (text: string) => browser.page.getByRole('listitem').filter({ hasText: text });

describe('questions in the "My referrals" tab', () => {
  it('shows both questions with their text, who asked and when, an answer box each, and a badge', async () => {
    const { page } = browser;
    await page.goto(`${service.url}/tabs/referrals`);
    await page.waitForURL(/\/signin\?returnTo=/);
    await page.getByLabel('Your name').fill(testTeacher.name);
    await page.getByLabel('Your role').fill(testTeacher.role);
    await page.getByLabel('Your organisation').fill(testTeacher.organisation);
    await page.getByLabel('Work email').fill(testTeacher.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/tabs/referrals`);

    const heading = page.getByRole('heading', { name: /Questions for you/ });
    await heading.waitFor();
    await heading.getByText('2 waiting for your answer').waitFor();
    const mash = questionItem(mashQuestion);
    await mash.getByText(new RegExp(`^Asked by the MASH about referral ${mashReference}, \\w{3} \\d{1,2} \\w{3}`)).waitFor();
    await mash.getByRole('textbox', { name: 'Your answer' }).waitFor();
    const coord = questionItem(coordinatorQuestion);
    await coord.getByText(new RegExp(`^Asked by a CSE coordinator about your request ${handoffId}, `)).waitFor();
    await expectAccessible('questions');
  });

  it('sends the answer to the MASH with inReplyTo, shows it as sent, and the badge counts one fewer', async () => {
    const mash = questionItem(mashQuestion);
    await mash.getByRole('textbox', { name: 'Your answer' }).fill('Yes, a grey car: the registration is on the school log.');
    await mash.getByRole('button', { name: 'Send answer' }).click();
    await mash.getByText('Sent', { exact: true }).waitFor();
    await browser.page
      .getByRole('heading', { name: /Questions for you/ })
      .getByText('1 waiting for your answer')
      .waitFor();

    const key = await until(() => stub.storedKeys().find((k) => k.startsWith(`${clientReference}.a.`)), 'the answer at the MASH');
    expect(stub.storedBody(key)).toEqual({ text: 'Yes, a grey car: the registration is on the school log.', inReplyTo: 'evt-tab-1' });
    expect(stub.storedCount(key)).toBe(1);
  });

  it('sends the answer to a coordinator to the handoff, never to the MASH; no badge is left', async () => {
    const coord = questionItem(coordinatorQuestion);
    await coord.getByRole('textbox', { name: 'Your answer' }).fill('Yes, she is with her aunt tonight.');
    await coord.getByRole('button', { name: 'Send answer' }).click();
    await coord.getByText('Sent', { exact: true }).waitFor();
    await browser.page.locator('#questions-badge').waitFor({ state: 'hidden' });

    const board = (await (await fetch(`${service.url}/api/handoffs`, { headers: { cookie: coordinatorCookie } })).json()) as {
      handoffs: Array<{ handoffId: string; messages: Array<{ from: string; text: string }> }>;
    };
    expect(board.handoffs.find((h) => h.handoffId === handoffId)?.messages).toEqual([
      expect.objectContaining({ from: 'coordinator', text: coordinatorQuestion }),
      expect.objectContaining({ from: 'referrer', text: 'Yes, she is with her aunt tonight.' }),
    ]);
    expect(stub.storedKeys().filter((k) => k.startsWith(`${clientReference}.a.`))).toHaveLength(1);
    expect(JSON.stringify(stub.storedKeys().map((k) => stub.storedBody(k)))).not.toContain('her aunt');
  });

  it('after a reload both show as sent, with no answer box and no badge', async () => {
    const { page } = browser;
    await page.reload();
    await questionItem(mashQuestion).getByText('Sent', { exact: true }).waitFor();
    await questionItem(coordinatorQuestion).getByText('Sent', { exact: true }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Your answer' }).count()).toBe(0);
    expect(await page.locator('#questions-badge').isHidden()).toBe(true);
    await expectAccessible('answered');
  });

  it("answers only a professional's own questions, and each once", async () => {
    const post = (cookie: string, body: unknown) =>
      fetch(`${service.url}/api/my-referrals/answers`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: service.url },
        body: JSON.stringify(body),
      });
    const someoneElse = await signInLocally(service.url, { ...testTeacher, name: 'Other Teacher', email: 'other.teacher@example.org' });
    const mashId = `${clientReference}.evt-tab-1`;
    expect((await post(someoneElse, { kind: 'mash', id: mashId, text: 'Not mine to answer.' })).status).toBe(404);
    expect((await post(someoneElse, { kind: 'coordinator', id: `${handoffId}.0`, text: 'Not mine to answer.' })).status).toBe(404);
    const teacher = await signInLocally(service.url, testTeacher);
    expect((await post(teacher, { kind: 'mash', id: mashId, text: 'A second answer.' })).status).toBe(409);
    expect((await post(teacher, { kind: 'mash', id: mashId, text: '' })).status).toBe(400);
    expect(
      await fetch(`${service.url}/api/my-referrals/answers`, {
        method: 'POST',
        headers: { cookie: teacher, 'content-type': 'application/json', origin: 'https://elsewhere.example' },
        body: JSON.stringify({ kind: 'mash', id: mashId, text: 'x' }),
      }).then((r) => r.status),
    ).toBe(403);
  });
});
