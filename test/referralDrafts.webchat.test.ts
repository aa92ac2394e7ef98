import { z } from 'zod';
import { isQuestion, officialClient, textMatches, type ReceivedActivity } from './support/directLineClient';
import { referralAnswers } from './support/referralAnswers';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { tempDataDir, testKey } from './support/serviceProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

jest.setTimeout(120_000);

/**
 * Referral drafts (issue 20 item 2) through the web chat's own routes: the draft of a referral left half
 * way is listed by "my referrals" (with a "Continue referral" button) and by the tab's API under the
 * signed-in professional, and "continue referral" carries on at the next unanswered question.
 */
const shownSchema = z.object({ text: z.string(), suggestedActions: z.object({ actions: z.array(z.object({ title: z.string() })) }) });
const upToPostcode = referralAnswers.slice(0, referralAnswers.indexOf('gl1 2tg') + 1);

let service: InProcessService;
beforeAll(async () => {
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), LOG_LEVEL: 'silent', MASH_REFERENCE: 'off' });
});
afterAll(async () => {
  await service?.stop();
});

it('lists the unfinished referral in the chat and the tab, and "continue referral" carries on where it stopped', async () => {
  const cookie = await signInLocally(service.url, testTeacher);
  const client = officialClient({ domain: `${service.url}/v3/directline`, token: (await webChatToken(service.url, cookie)).token, webSocket: true });
  const after = (seen: number, predicate: (a: ReceivedActivity) => boolean) => (a: ReceivedActivity) => client.received.indexOf(a) >= seen && predicate(a);
  const say = async (text: string, predicate: (a: ReceivedActivity) => boolean, what: string) => {
    const seen = client.received.length;
    await new Promise((r) => setTimeout(r, 550)); // human pace: 20 messages per 10 s per conversation
    await client.post({ type: 'message', text });
    return client.waitFor(after(seen, predicate), what);
  };
  try {
    await client.waitFor(isQuestion('menu'), 'menu');
    for (const text of upToPostcode) await say(text, (a) => a.value?.type === 'safeguarding.question', 'next question');
    await say('restart', isQuestion('confirm-restart'), 'the restart question');
    await say('yes', isQuestion('menu'), 'the menu');

    const mine = shownSchema.parse(await say('my referrals', textMatches(/Unfinished referrals/), 'my referrals with the draft'));
    expect(mine.text).toMatch(/- DR-[0-9A-F]{12}, started \d{4}-\d{2}-\d{2}, last changed \d{4}-\d{2}-\d{2}, 6 answers so far; kept until/);
    expect(mine.suggestedActions.actions.map((a) => a.title)).toEqual(['Continue referral']);
    const tab = (await (await fetch(`${service.url}/api/my-referrals`, { headers: { cookie } })).json()) as { drafts: Array<{ draftId: string; answers: number }> };
    expect(tab.drafts).toEqual([expect.objectContaining({ answers: 6 })]);
    expect(mine.text).toContain(tab.drafts[0].draftId);

    await say('continue referral', isQuestion('ref-child-school'), 'the next unanswered question');
    expect(client.received.some(textMatches(/^Carrying on with your unfinished referral/))).toBe(true);
  } finally {
    client.end();
  }
});
