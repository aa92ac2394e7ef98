import { expect } from '@jest/globals';
import { storageKeyOf } from '../integrations';
import type { TurnInput } from '../flows';
import type { Persistence } from '../server/createPersistence';
import { referralAnswers } from './support/referralAnswers';
import { startInProcess, type InProcessService } from './support/serviceInProcess';
import { tempDataDir, testKey } from './support/serviceProcess';
import { ssoOid as oid, startTeamsSso, type TeamsSso } from './support/teamsSso';

/**
 * Issue 20 item 2, "listed under My referrals as continue in Teams and web chat alike": a referral left
 * unfinished in a Teams chat shows in the Teams tab (/tabs/referrals, signed in by Teams SSO), beside
 * the ones left in the web chat; nobody else's does.
 */
const teamsUser = '29:teams-drafter';
const upToPostcode = referralAnswers.slice(0, referralAnswers.indexOf('gl1 2tg') + 1);

let sso: TeamsSso;
let service: InProcessService;
let persistence: Persistence | undefined;

beforeAll(async () => {
  sso = await startTeamsSso();
  service = await startInProcess(
    { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), LOG_LEVEL: 'silent', MASH_REFERENCE: 'off', ...sso.serviceEnv },
    { persistence: (p) => (persistence = p) },
  );
});
afterAll(async () => {
  await service?.stop();
  await sso?.close();
});

/** A Teams chat as the bot runs it: the turn, and the conversation reference the bot remembers (with the Entra object id). */
async function teamsChat(conversationId: string, userId: string, aadObjectId: string, answers: string[]) {
  const reference = { channelId: 'msteams', conversation: { id: conversationId }, serviceUrl: 'https://smba.trafficmanager.net/uk/', user: { id: userId, aadObjectId } };
  await persistence!.conversationReferences.remember({ channelId: 'msteams', userId, aadObjectId }, reference);
  const meta = { channelId: 'msteams', userId, userName: 'Test Teacher', conversationKey: storageKeyOf(conversationId), now: new Date() };
  const turn = (input: TurnInput) => service.services.turns.run(conversationId, input, meta, reference);
  await turn({ kind: 'start' });
  for (const text of answers) await turn({ kind: 'text', text });
}

interface ListedDraft {
  draftId: string;
  answers: number;
}

describe('the Teams tab lists drafts started in a Teams chat', () => {
  it('shows the Teams draft to its author signed in by SSO, with its id to continue, and not to anyone else', async () => {
    await teamsChat('teams-draft-conv', teamsUser, oid, upToPostcode);
    // Someone else's unfinished referral in their own Teams chat.
    await teamsChat('teams-other-conv', '29:someone-else', '00000000-0000-0000-0000-000000000001', upToPostcode);

    const mine = await fetch(`${service.url}/api/my-referrals`, { headers: { authorization: `Bearer ${await sso.token()}` } });
    expect(mine.status).toBe(200);
    const { drafts } = (await mine.json()) as { drafts: ListedDraft[] };
    expect(drafts).toHaveLength(1);
    expect(drafts[0].answers).toBeGreaterThan(0);
    // The id the tab shows is the one "continue <id>" takes in the Teams chat.
    const resumed = await service.services.drafts.resumeInput('msteams', teamsUser, drafts[0].draftId);
    expect(resumed).toMatchObject({ kind: 'resume', draft: { draftId: drafts[0].draftId } });

    // A web session of someone else (no Teams identity) sees none of them.
    expect(await service.services.drafts.listForSession('webchat', 'local-0123456789abcdef01234567')).toEqual([]);
  });
});
