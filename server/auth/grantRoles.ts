import type { ProfessionalRole } from '../../integrations';

export interface RoleLists {
  COORDINATOR_IDS: string[];
  PARTNERSHIP_LEAD_IDS: string[];
  /** Accepted for compatibility and grants nothing: admin actions are CLI-only, so no route checks an admin role (pen test I4). */
  ADMIN_IDS?: string[];
}

/**
 * Roles come from configuration, never from what a user typed or a token asserts about itself: a
 * listed id matches the identity's own id (Entra object id, OIDC subject) or one of its group ids.
 */
export function grantRoles(lists: RoleLists, id: string, groups: readonly string[] = []): ProfessionalRole[] {
  const matches = (list: string[]) => list.includes(id) || groups.some((group) => list.includes(group));
  const roles: ProfessionalRole[] = [];
  if (matches(lists.COORDINATOR_IDS)) roles.push('coordinator');
  if (matches(lists.PARTNERSHIP_LEAD_IDS)) roles.push('partnership-lead');
  return roles;
}
