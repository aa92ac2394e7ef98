import { expect } from '@jest/globals';
import { z } from 'zod';
import type { CardJson, SentActivity } from './support/activities';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { bodyAs, parsed, problemBody } from './support/json';
import { until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, testTeacher } from './support/webSignIn';

const channelId = '19:cse-coordinators@thread.tacv2';
const coordinatorA = { id: '29:coord-a', name: 'Test Coordinator A', aadObjectId: 'aad-coordinator-a' };
const coordinatorB = { id: '29:coord-b', name: 'Test Coordinator B', aadObjectId: 'aad-coordinator-b' };

let connector: FakeConnector;
let service: ServiceProcess;
beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({
    DATA_DIR: tempDataDir(),
    STATE_ENCRYPTION_KEY: testKey(),
    COORDINATOR_TEAMS_CHANNEL_ID: channelId,
    COORDINATOR_SERVICE_URL: connector.url,
    COORDINATOR_IDS: `${coordinatorA.aadObjectId},${coordinatorB.aadObjectId}`,
  });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

/** A coordinator presses a button on the card in the coordinators' channel (a Teams invoke). */
async function press(from: typeof coordinatorA, verb: string, data: Record<string, unknown>) {
  const res = await fetch(`${service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `invoke-${Math.random()}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from,
      recipient: { id: '28:bot', name: 'Safeguarding bot' },
      conversation: { id: `${channelId};messageid=1`, conversationType: 'channel', isGroup: true },
      channelData: { channel: { id: channelId }, tenant: { id: 'tenant-1' } },
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
  });
  return { status: res.status, body: await bodyAs(res, invokeResponse) };
}

/** An invoke's answer: the updated card, or a message (`value` is then its text). */
const invokeResponse = z.looseObject({ statusCode: z.number(), type: z.string(), value: z.unknown() });

const cardText = (card: unknown): string => JSON.stringify((card as CardJson).body);

/** The handoff id the referrer was told (the `safeguarding.handoff` message). */
const handoffIdIn = (replies: SentActivity[]): string =>
  parsed(replies.find((r) => r.value?.type === 'safeguarding.handoff')?.value, z.looseObject({ handoffId: z.string() }), 'the handoff message').handoffId;

describe('a triaged handoff to a CSE coordinator, end to end over /api/messages', () => {
  it("posts the card to the coordinators' channel; one claim wins; the question and the answer go both ways", async () => {
    const referrer = botClient(() => service.url, connector, 'handoff-referrer', { id: 'dsl-handoff', name: 'Test Teacher' });
    await referrer.join();
    await referrer.say('Talk to a coordinator');
    const opened = await referrer.say('skip');
    const handoff = opened.replies.find((r) => r.value?.type === 'safeguarding.handoff')?.value;
    expect(handoff).toMatchObject({ kind: 'coordinator', status: 'open', handoffId: expect.stringMatching(/^SGH-/) });
    const handoffId = handoffIdIn(opened.replies);

    const posted = await until(() => connector.forConversation(channelId).find((a) => JSON.stringify(a).includes(handoffId)), "the card in the coordinators' channel");
    const card = posted.attachments?.[0].content;
    expect(card?.actions?.map((a) => a.verb)).toEqual(['handoff.claim', 'handoff.ask', 'handoff.close']);
    expect(cardText(card)).toContain('No screening or referral in this conversation yet.');

    const [a, b] = await Promise.all([press(coordinatorA, 'handoff.claim', { handoffId }), press(coordinatorB, 'handoff.claim', { handoffId })]);
    const cards = [a, b].filter((r) => r.body.type === 'application/vnd.microsoft.card.adaptive');
    const told = [a, b].filter((r) => r.body.type === 'application/vnd.microsoft.activity.message');
    expect(cards).toHaveLength(1);
    expect(told[0].body.value).toMatch(/Test Coordinator [AB] has already claimed this handoff/);
    expect(cardText(cards[0].body.value)).toMatch(/Claimed \(Test Coordinator [AB]\)/);
    const winner = cards[0] === a ? coordinatorA : coordinatorB;
    await until(() => connector.forConversation('handoff-referrer').find((m) => /coordinator has picked up your request/.test(m.text ?? '')), 'the referrer told of the claim');

    expect((await press(winner, 'handoff.ask', { handoffId, answer: 'Is she safe at home tonight?' })).body.type).toBe('application/vnd.microsoft.card.adaptive');
    await until(
      () => connector.forConversation('handoff-referrer').find((m) => /asks about .*Is she safe at home tonight\?/.test(m.text ?? '')),
      'the question reaching the referrer',
    );
    const replied = await referrer.say('Yes, she is staying with her aunt this week.');
    expect(replied.replies.map((r) => r.text).join('\n')).toMatch(/your answer has gone to the CSE coordinator/);

    const updated = await until(
      () =>
        connector.updates
          .filter((u) => u.conversationId === channelId)
          .map((u) => cardText(u.activity.attachments?.[0].content))
          .find((t) => t.includes('staying with her aunt')),
      'the card updated with the answer',
    );
    expect(updated).toMatch(/Referrer answered/);

    const coordinatorCookie = await signInLocally(service.url, { ...testTeacher, name: 'Test Coordinator', email: 'test.coordinator@example.org', localRoles: ['coordinator'] });
    const board = await fetch(`${service.url}/coordinator`, { headers: { cookie: coordinatorCookie } });
    expect(board.status).toBe(200);
    const page = await board.text();
    expect(page).toContain(handoffId);
    expect(page).toContain('Yes, she is staying with her aunt this week.');
  });

  it('acts from the board: the JSON API claims and refuses an empty question, the form closes with a notice', async () => {
    const referrer = botClient(() => service.url, connector, 'board-referrer', { id: 'dsl-board', name: 'Test Teacher' });
    await referrer.join();
    await referrer.say('Talk to a coordinator');
    const handoffId = handoffIdIn((await referrer.say('skip')).replies);
    const cookie = await signInLocally(service.url, { ...testTeacher, name: 'Test Coordinator', email: 'test.coordinator@example.org', localRoles: ['coordinator'] });
    const post = (path: string, body: string, type: string) =>
      fetch(`${service.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': type, origin: service.url }, body });

    const claimed = await post(`/api/handoffs/${handoffId}/claim`, '{}', 'application/json');
    expect(claimed.status).toBe(200);
    expect(await claimed.json()).toMatchObject({ handoff: { handoffId, status: 'claimed', claimedBy: 'Test Coordinator' } });
    const empty = await post(`/api/handoffs/${handoffId}/ask`, JSON.stringify({ question: '  ' }), 'application/json');
    expect(empty.status).toBe(400);
    expect((await bodyAs(empty, problemBody)).detail).toBe('Type the question for the referrer');
    expect((await post(`/api/handoffs/${handoffId}/delete`, '{}', 'application/json')).status).toBe(404);

    const closed = await post(`/coordinator/handoffs/${handoffId}/close`, '', 'application/x-www-form-urlencoded');
    expect(closed.status).toBe(303);
    // A code, not text: the banner's words are the board's own (pen test I5).
    expect(closed.headers.get('location')).toBe(`/coordinator?notice=closed&handoff=${handoffId}`);
    const board = await (await fetch(`${service.url}${closed.headers.get('location')}`, { headers: { cookie } })).text();
    expect(board).toContain(`<p class="notice" role="status">${handoffId} is closed; the referrer has been told.</p>`);
    // Any other text in the link shows nothing (it used to be shown, escaped, as the board's status).
    const forged = await (await fetch(`${service.url}/coordinator?notice=${encodeURIComponent('URGENT: phone 0800 000 000 now')}`, { headers: { cookie } })).text();
    expect(forged).not.toContain('URGENT');
    expect(forged).not.toContain('class="notice"');
    await until(() => connector.forConversation('board-referrer').find((m) => /closed/i.test(m.text ?? '')), 'the referrer told of the close');
  });

  it("binds a claim to the coordinator's id, not their name: a namesake can neither ask nor close it (pen test L1)", async () => {
    const referrer = botClient(() => service.url, connector, 'namesake-referrer', { id: 'dsl-namesake', name: 'Test Teacher' });
    await referrer.join();
    await referrer.say('Talk to a coordinator');
    const handoffId = handoffIdIn((await referrer.say('skip')).replies);
    const jo = { ...coordinatorA, name: 'Jo Smith' };
    const namesake = { ...coordinatorB, name: 'Jo Smith' };
    expect((await press(jo, 'handoff.claim', { handoffId })).body.statusCode).toBe(200);
    const asked = await press(namesake, 'handoff.ask', { handoffId, answer: 'Is she safe tonight?' });
    expect(asked.body.value).toBe('Jo Smith has already claimed this handoff.');
    const closed = await press(namesake, 'handoff.close', { handoffId });
    expect(closed.body.value).toBe('Jo Smith has claimed this handoff: only they, or a partnership lead on the board, can close it.');
    const cookie = await signInLocally(service.url, { ...testTeacher, name: 'Jo Smith', email: 'jo.smith2@example.org', localRoles: ['coordinator'] });
    const viaBoard = await fetch(`${service.url}/api/handoffs/${handoffId}/close`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: service.url },
      body: '{}',
    });
    expect(viaBoard.status).toBe(409);
    expect(((await viaBoard.json()) as { detail: string }).detail).toBe(`${handoffId} is claimed by Jo Smith: only they, or a partnership lead, can close it.`);
    const handoffs = (await (await fetch(`${service.url}/api/handoffs`, { headers: { cookie } })).json()) as {
      handoffs: Array<{ handoffId: string; status: string; claimedById?: string; messages: unknown[] }>;
    };
    expect(handoffs.handoffs.find((h) => h.handoffId === handoffId)).toMatchObject({ status: 'claimed', claimedById: `aad-${coordinatorA.aadObjectId}`, messages: [] });
    // A partnership lead may close it (someone away); the claimer may too.
    const lead = await signInLocally(service.url, { ...testTeacher, name: 'Test Lead', email: 'lead@example.org', localRoles: ['coordinator', 'partnership-lead'] });
    const byLead = await fetch(`${service.url}/api/handoffs/${handoffId}/close`, {
      method: 'POST',
      headers: { cookie: lead, 'content-type': 'application/json', origin: service.url },
      body: '{}',
    });
    expect(byLead.status).toBe(200);
  });

  it('refuses the board and card actions to anyone without the coordinator role', async () => {
    const cookie = await signInLocally(service.url, testTeacher);
    expect((await fetch(`${service.url}/coordinator`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${service.url}/api/handoffs`, { headers: { cookie } })).status).toBe(403);
    const stranger = await press({ id: '29:someone', name: 'Not A Coordinator', aadObjectId: 'aad-someone' }, 'handoff.claim', { handoffId: 'SGH-000000000000' });
    expect(stranger.body.value).toBe('Only CSE coordinators can act on handoffs.');
  });

  it("in a team channel answers only coordinators' commands and never starts a flow", async () => {
    const post = (conversationId: string, text: string) =>
      fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `m-${Math.random()}`,
          text,
          channelId: 'msteams',
          serviceUrl: connector.url,
          from: coordinatorA,
          recipient: { id: '28:bot' },
          conversation: { id: `${conversationId};messageid=9`, conversationType: 'channel', isGroup: true },
          channelData: { channel: { id: conversationId } },
        }),
      });
    await post('19:general@thread.tacv2', 'Is this exploitation?');
    const general = await until(() => connector.forConversation('19:general@thread.tacv2;messageid=9').at(-1), 'a reply in the general channel');
    expect(general.text).toMatch(/only answer CSE coordinators/);
    expect(general.value).toBeUndefined();
    await post(channelId, 'queue');
    const queue = await until(() => connector.forConversation(`${channelId};messageid=9`).find((m) => /SGH-/.test(m.text ?? '')), "the queue in the coordinators' channel");
    expect(queue.text).toMatch(/routine, claimed/);
  });
});
