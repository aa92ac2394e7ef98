import { isQuestion, officialClient, type ReceivedActivity } from './support/directLineClient';
import { startMashStub, type MashStub } from './support/mashStub';
import { answersBeforeReferrer, marfAnswers, until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, testTeacher, webChatToken } from './support/webSignIn';

const token = 'reference-test-token-0123456789';

let stub: MashStub;
let service: ServiceProcess;
beforeAll(async () => {
  stub = await startMashStub({ token });
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: token });
});
afterAll(async () => {
  await service?.stop();
  await stub?.close();
});

/** The answers up to the referrer, then the phone and issue 21's: a signed-in professional is never asked who they are. */
const answers = [...answersBeforeReferrer, ...marfAnswers];

describe('a referral from the web chat by a signed-in professional', () => {
  it('skips the referrer questions and files the sign-in identity as the referrer', async () => {
    const cookie = await signInLocally(service.url, testTeacher);
    const { token: dlToken } = await webChatToken(service.url, cookie);
    const client = officialClient({ domain: `${service.url}/v3/directline`, token: dlToken, webSocket: true });
    try {
      await client.waitFor(isQuestion('menu'), 'menu');
      let seen = client.received.length;
      const nextQuestion = async (): Promise<ReceivedActivity> => {
        const q = await client.waitFor((a) => client.received.indexOf(a) >= seen && a.value?.type === 'safeguarding.question', 'next question');
        seen = client.received.indexOf(q) + 1;
        return q;
      };
      for (const text of answers) {
        // Human pace: the Direct Line allows 20 messages per 10 s per conversation.
        await new Promise((r) => setTimeout(r, 550));
        await client.post({ type: 'message', text });
        await nextQuestion();
      }
      const asked = client.received.filter((a) => a.value?.type === 'safeguarding.question').map((a) => a.value?.id as string);
      expect(asked).toContain('ref-consent-status');
      // Only the phone, which is asked every time (issue 21: a MASH rings back within hours).
      expect(asked.filter((id) => id.startsWith('ref-referrer-'))).toEqual(['ref-referrer-phone']);
      expect(asked[asked.length - 1]).toBe('ref-confirm');
      // The summary to confirm shows who is referring, taken from the sign-in.
      const summary = client.received
        .filter((a) => a.type === 'message')
        .map((a) => a.text ?? '')
        .join('\n');
      expect(summary).toContain('test.teacher@example.org');

      await client.post({ type: 'message', text: 'Submit' });
      const filed = await client.waitFor((a) => a.value?.type === 'safeguarding.referralFiled', 'referral filed');
      const clientReference = filed.value?.clientReference as string;
      await until(() => stub.storedBody(clientReference), 'the MASH stub to receive the referral');
      expect(stub.storedBody(clientReference)).toMatchObject({
        channel: 'webchat',
        referrer: { name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School', email: 'test.teacher@example.org' },
      });
    } finally {
      client.end();
    }
  });
});
