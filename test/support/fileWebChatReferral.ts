import { isQuestion, officialClient, type ReceivedActivity } from './directLineClient';
// A signed-in professional is not asked who they are; issue 21's questions (the phone first) still are.
import { answersBeforeReferrer, marfAnswers } from './referralAnswers';

/**
 * Files a referral in the web chat over Direct Line as the professional whose Direct Line token this is,
 * and returns its client reference once the bot says it is filed. `marf`: issue 21's answers (default:
 * the phone and the child's views, the sections left untaken at the check; `marfDetailedAnswers` takes them).
 */
export async function fileWebChatReferral(baseUrl: string, dlToken: string, marf: readonly string[] = marfAnswers): Promise<string> {
  return (await fileWebChatReferralSeen(baseUrl, dlToken, marf)).clientReference;
}

/** `fileWebChatReferral`, with everything the bot sent on the way, for a test of what was asked and offered. */
export async function fileWebChatReferralSeen(
  baseUrl: string,
  dlToken: string,
  marf: readonly string[] = marfAnswers,
): Promise<{ clientReference: string; received: ReceivedActivity[] }> {
  const client = officialClient({ domain: `${baseUrl}/v3/directline`, token: dlToken, webSocket: true });
  try {
    await client.waitFor(isQuestion('menu'), 'menu');
    let seen = client.received.length;
    for (const text of [...answersBeforeReferrer, ...marf]) {
      // Human pace: the Direct Line allows 20 messages per 10 s per conversation.
      await new Promise((r) => setTimeout(r, 550));
      await client.post({ type: 'message', text });
      // An entry of a MARF section is answered "Added" (ref-section-added) and the question is not asked again.
      const q: ReceivedActivity = await client.waitFor(
        (a) => client.received.indexOf(a) >= seen && (a.value?.type === 'safeguarding.question' || /^Added\./.test(a.text ?? '')),
        'next question',
      );
      seen = client.received.indexOf(q) + 1;
    }
    await client.post({ type: 'message', text: 'Submit' });
    const filed = await client.waitFor((a) => a.value?.type === 'safeguarding.referralFiled', 'referral filed');
    return { clientReference: filed.value?.clientReference as string, received: [...client.received] };
  } finally {
    client.end();
  }
}
