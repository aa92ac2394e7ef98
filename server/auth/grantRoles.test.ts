import { grantRoles } from './grantRoles';

const lists = { COORDINATOR_IDS: ['aad-coord-1', 'group-cse'], PARTNERSHIP_LEAD_IDS: ['lead-1'], ADMIN_IDS: [] };

describe('grantRoles', () => {
  it('grants a role to a listed id', () => {
    expect(grantRoles(lists, 'aad-coord-1')).toEqual(['coordinator']);
  });
  it('grants a role through a listed group', () => {
    expect(grantRoles(lists, 'someone', ['group-cse'])).toEqual(['coordinator']);
  });
  it('grants no admin role for ADMIN_IDS: no route would check it, so nobody relies on it as a control (pen test I4)', () => {
    expect(grantRoles({ ...lists, ADMIN_IDS: ['admin-1', 'group-admins'] }, 'admin-1', ['group-admins'])).toEqual([]);
    expect(grantRoles({ ...lists, ADMIN_IDS: ['aad-coord-1'] }, 'aad-coord-1')).toEqual(['coordinator']);
  });
  it('grants nothing to an unlisted professional', () => {
    expect(grantRoles(lists, 'someone', ['other-group'])).toEqual([]);
  });
});
