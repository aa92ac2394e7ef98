import { expect } from '@jest/globals';
import { cardJson, type CardJson, type SentActivity } from './support/activities';
import { cardProblems } from './support/adaptiveCards';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { indicatorQuestions } from './support/indicatorAnswers';
import { parsed } from './support/json';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { actionsIn, cardIn, isLive, teamsClient, type InvokeAnswer, type TeamsClient } from './support/teamsClient';

let service: ServiceProcess;
let connector: FakeConnector;
let n = 0;
const newTeamsChat = () => teamsClient(() => service.url, connector, `a:teams-${++n}`);

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

const narrative = 'Test Child has an older boyfriend and was picked up in a car by men.';

/** The card of the question a batch of replies ends on, checked the way every Teams question must be. */
function questionCardIn(replies: SentActivity[], id: string): CardJson {
  const last = replies[replies.length - 1];
  expect(last.value).toMatchObject({ type: 'safeguarding.question', id });
  expect(last.suggestedActions).toBeUndefined(); // the card carries the buttons
  expect(last.text).toBeUndefined();
  const card = cardIn(last);
  expect(cardProblems(card)).toEqual([]);
  expect(isLive(card)).toBe(true);
  return card;
}

/** A card action's HTTP answer: the clicked card, updated, with nothing left to click. */
function updatedCardIn(result: { status: number; body?: InvokeAnswer }): CardJson {
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  const card = parsed(result.body?.value, cardJson, 'the updated card');
  expect(cardProblems(card)).toEqual([]);
  expect(isLive(card)).toBe(false);
  return card;
}

/** The category-3 screening of test/screening.protocol.test.ts, as clicks, ticks and filled inputs. */
type CardStep = [string, (teams: TeamsClient, card: CardJson) => ReturnType<TeamsClient['invoke']>, string];
const categoryThree: CardStep[] = [
  ['menu', (t, c) => t.press(c, 'screen'), 'Is this exploitation?'],
  ['screen-immediate-danger', (t, c) => t.press(c, 'no'), 'No'],
  ['screen-about', (t, c) => t.press(c, actionsIn(c)[0].data.answer!), 'A child (under 18)'],
  ['screen-age', (t, c) => t.fill(c, '14'), '14'],
  ['concern-overrides', (t, c) => t.press(c, 'none'), 'None of these'],
  ['screen-narrative', (t, c) => t.fill(c, narrative), narrative],
  ['screen-confirm-detected', (t, c) => t.tick(c, [0, 1]), 'Older partner; Vehicles driven by unknown adults'],
  ['screen-missing', (t, c) => t.press(c, 'yes'), 'Yes'],
  ['screen-missing-now', (t, c) => t.press(c, 'no'), 'No'],
  ['screen-missing-count', (t, c) => t.fill(c, '2'), '2'],
  // The pack's indicator questions, in its order: none of each, but two vulnerabilities ticked.
  ...indicatorQuestions.map((id): CardStep => (id === 'screen-vulnerabilities' ? [id, (t, c) => t.tick(c, [2, 0]), ''] : [id, (t, c) => t.press(c, 'none'), 'None of these'])),
  ['screen-looked-after-elsewhere', (t, c) => t.press(c, 'no'), 'No'],
];

describe('Teams cards through /api/messages', () => {
  it('welcomes on a personal install and asks the menu as a card', async () => {
    const { status, replies } = await newTeamsChat().install();
    expect(status).toBe(200);
    expect(replies[0].text).toMatch(/I help professionals who are worried about a child/);
    const card = questionCardIn(replies, 'menu');
    expect(actionsIn(card).map((a) => a.verb)).toEqual(expect.arrayContaining(['answer']));
    expect(actionsIn(card).find((a) => a.data.answer === 'screen')).toMatchObject({ title: 'Is this exploitation?', data: { questionId: 'menu', turnId: 1 } });
  });

  it('runs a whole screening by card actions only, to the category-3 result card; a second click changes nothing', async () => {
    const teams = newTeamsChat();
    let replies = (await teams.install()).replies;
    let again: (() => ReturnType<TeamsClient['invoke']>) | undefined;
    for (const [id, act, shown] of categoryThree) {
      const card = questionCardIn(replies, id);
      const answered = await act(teams, card);
      const updated = updatedCardIn(answered);
      expect(JSON.stringify(updated.body)).toContain(JSON.stringify(card.body[0].text)); // the question stays on the card
      const yourAnswer = updated.body.find((e) => e.type === 'FactSet')?.facts?.[0];
      expect(yourAnswer).toMatchObject({ title: 'Your answer', ...(shown ? { value: shown } : {}) });
      replies = answered.replies;
      again = () => act(teams, card); // the same click on the same card
    }

    const result = replies.find((r) => r.value?.type === 'safeguarding.screeningResult');
    expect(result?.value).toMatchObject({ category: 3, label: 'moderate', pathway: 'mash-referral', urgency: 'same-day', counts: { total: 3, significant: 2, critical: 0 } });
    expect(JSON.stringify(result?.value)).not.toContain('Test Child');
    const resultCard = cardIn(result!);
    expect(cardProblems(resultCard)).toEqual([]);
    expect(resultCard.body[0]).toMatchObject({ type: 'TextBlock', text: 'Exploitation screening: category 3 (moderate)' });
    const facts = Object.fromEntries((resultCard.body.find((e) => e.type === 'FactSet')?.facts ?? []).map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({ Category: '3 (moderate)', 'Next step': 'Refer to the MASH', Urgency: 'Same day', Reference: result?.value?.screeningId });
    expect(facts.Why).toMatch(/two significant indicators, older partner and vehicles driven by unknown adults/);
    const judgement = questionCardIn(replies, 'screen-judgement');

    const repeated = await again!();
    expect(JSON.stringify(updatedCardIn(repeated).body)).toMatch(/moved on/);
    expect(repeated.replies).toEqual([]); // no new question, no second result

    // The question that is live still answers: the stale click did not move the turn on.
    const answered = await teams.press(judgement, actionsIn(judgement)[0].data.answer!);
    expect(updatedCardIn(answered).body.find((e) => e.type === 'FactSet')?.facts?.[0].title).toBe('Your answer');
    expect(answered.replies.length).toBeGreaterThan(0);
  });

  it('takes typed text in Teams exactly as the conversation protocol: same values, same words', async () => {
    const typed = ['help', '2', 'No', '1', '14 years', 'none', narrative, '1, 2', '999', 'yes', 'no', '2', 'none', 'none', 'none', 'none', 'none', '3, 1', 'no'];
    const emulator = botClient(() => service.url, connector, `teams-typed-emulator-${n}`);
    const teams = newTeamsChat();
    const elsewhere = [(await emulator.join()).replies];
    const inTeams = [(await teams.install()).replies];
    for (const text of typed) {
      elsewhere.push((await emulator.say(text)).replies);
      inTeams.push((await teams.say(text)).replies);
    }
    // Ids salted per conversation differ; everything else a UI or test reads is the same.
    const comparable = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null, (k: string, x: unknown) => (k === 'screeningId' ? '<id>' : x)));
    expect(inTeams.map((turn) => turn.map((a) => comparable(a.value)))).toEqual(elsewhere.map((turn) => turn.map((a) => comparable(a.value))));
    inTeams.flat().forEach((activity, i) => {
      const other = elsewhere.flat()[i];
      if (activity.attachments) {
        expect(cardProblems(cardIn(activity))).toEqual([]);
        expect(activity.suggestedActions).toBeUndefined();
      } else {
        expect(activity.text).toBe(other.text); // plain messages are not changed at all
      }
    });
    expect(inTeams.flat().some((a) => a.value?.type === 'safeguarding.screeningResult' && a.value.category === 3)).toBe(true);
    expect(inTeams.flat().some((a) => a.value?.type === 'safeguarding.handoff' && a.value.kind === 'emergency' && a.attachments)).toBe(true);
  });

  it('refuses an invoke that is not one of our answer buttons with a 400 error response', async () => {
    const teams = newTeamsChat();
    await teams.install();
    const res = await teams.post({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'answer', data: { questionId: 'menu' } } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    expect(res.replies).toEqual([]);
  });
});
