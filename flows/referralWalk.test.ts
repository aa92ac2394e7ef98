import { conversation, pack } from './machines/referral/referralTestKit';
import { referralWalk } from './referralWalk';

const walk = referralWalk(pack);

describe('the shared referral walk (tests and npm run screenshots)', () => {
  it('takes a professional known only by name from the menu to the check, every answer accepted', () => {
    const c = conversation();
    c.answer(...walk.beforeReferrer, ...walk.referrer, ...walk.marf);
    expect(c.question().id).toBe('ref-confirm');
  });

  it('takes a signed-in professional, who is not asked who they are, to the same check', () => {
    const c = conversation({ userRole: 'Designated safeguarding lead', userOrganisation: 'Test School', userEmail: 'test.teacher@example.org' });
    c.answer(...walk.beforeReferrer, ...walk.marf);
    expect(c.question().id).toBe('ref-confirm');
  });
});
