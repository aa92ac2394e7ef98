import { createHash } from 'node:crypto';
import type { ProfessionalIdentity } from '../../integrations';
import { professionalIdentitySchema } from '../../integrations';
import { validatePhoneUk } from '../../flows';
import { grantRoles, type RoleLists } from '../auth';

type Claims = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined);
const first = (claims: Claims, names: string[]) => names.map((name) => text(claims[name])).find(Boolean);

/** A subject as our id alphabet allows; anything else is hashed, so ids stay stable and never collide. */
export function idFromSubject(sub: string): string {
  return /^[\w.@:+-]{1,100}$/.test(sub) ? `oidc-${sub}` : `oidc-${createHash('sha256').update(sub).digest('hex').slice(0, 32)}`;
}

/**
 * The standard `phone_number` claim (scope `phone`), only when it is a UK number the referral's phone question
 * would accept: anything else is left for the professional to type rather than offered wrongly.
 */
function phoneOf(claims: Claims): string | undefined {
  const phone = text(claims.phone_number);
  const checked = phone ? validatePhoneUk(phone) : undefined;
  return checked?.ok ? checked.value : undefined;
}

/**
 * The professional an identity provider vouches for. Organisation and job title have no standard OIDC
 * claim: Entra ID sends `jobTitle`/`companyName` (optional claims), others `organization`/`job_title`.
 * Roles come from our configuration matched against the subject and the `groups` claim, never from a
 * role claim the provider may let users edit.
 */
export function identityFromClaims(claims: Claims, lists: RoleLists): ProfessionalIdentity | undefined {
  const sub = text(claims.sub);
  if (!sub) return undefined;
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const email = first(claims, ['email', 'preferred_username', 'upn']);
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  const roles = grantRoles(lists, sub, groups);
  const candidate = {
    id: idFromSubject(sub),
    name: first(claims, ['name']) ?? (given || undefined),
    role: first(claims, ['job_title', 'jobTitle', 'title']),
    organisation: first(claims, ['organization', 'organisation', 'companyName', 'company_name']),
    email: email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : undefined,
    phone: phoneOf(claims),
    ...(roles.length ? { roles } : {}),
  };
  const parsed = professionalIdentitySchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
