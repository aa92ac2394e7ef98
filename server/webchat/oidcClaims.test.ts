import { idFromSubject, identityFromClaims } from './oidcClaims';

const lists = { COORDINATOR_IDS: ['cse-coordinators'], PARTNERSHIP_LEAD_IDS: [], ADMIN_IDS: [] };

describe('identityFromClaims', () => {
  it('reads the standard and Entra ID claim names', () => {
    expect(identityFromClaims({ sub: 'abc', name: 'Test Teacher', jobTitle: 'DSL', companyName: 'Test School', preferred_username: 'test.teacher@example.org' }, lists)).toEqual({
      id: 'oidc-abc',
      name: 'Test Teacher',
      role: 'DSL',
      organisation: 'Test School',
      email: 'test.teacher@example.org',
    });
  });

  it('grants roles from configured groups, never from a role claim', () => {
    expect(identityFromClaims({ sub: 'abc', groups: ['cse-coordinators'] }, lists)?.roles).toEqual(['coordinator']);
    expect(identityFromClaims({ sub: 'abc', roles: ['coordinator'] }, lists)?.roles).toBeUndefined();
  });

  it('hashes a subject our id alphabet cannot hold, stably', () => {
    const odd = 'user/with spaces#1';
    expect(idFromSubject(odd)).toMatch(/^oidc-[0-9a-f]{32}$/);
    expect(idFromSubject(odd)).toBe(idFromSubject(odd));
  });

  it('takes a UK phone_number claim for the referral to offer, and leaves out one a MASH could not ring', () => {
    expect(identityFromClaims({ sub: 'abc', phone_number: '+44 1632 960123' }, lists)?.phone).toBe('+44 1632 960123');
    expect(identityFromClaims({ sub: 'abc', phone_number: '+1 202 555 0100' }, lists)?.phone).toBeUndefined();
    expect(identityFromClaims({ sub: 'abc' }, lists)?.phone).toBeUndefined();
  });

  it('drops an email that is not one, and refuses claims without a subject', () => {
    expect(identityFromClaims({ sub: 'abc', email: 'not an email' }, lists)?.email).toBeUndefined();
    expect(identityFromClaims({ name: 'No Subject' }, lists)).toBeUndefined();
  });
});
