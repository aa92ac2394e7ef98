import { z } from 'zod';
import type { ProfessionalRole } from '../../integrations';
import type { SignInErrors, SignInValues } from './pages';

const text = (missing: string) =>
  z.string({ message: missing }).trim().min(1, missing).max(200, 'Must be 200 characters or fewer');

/** What the local sign-in form must hold; messages are written to be read out beside the field. */
export const signInSchema = z.object({
  name: text('Enter your name'),
  role: text('Enter your role'),
  organisation: text('Enter your organisation'),
  email: z.string({ message: 'Enter your work email' }).trim().min(1, 'Enter your work email').max(320, 'Must be 320 characters or fewer').pipe(z.email('Enter an email address like name@example.org')),
});

export type SignIn = z.infer<typeof signInSchema> & { localRoles: ProfessionalRole[] };

/** Local mode only (marked on the page): lets a tester act as a coordinator or partnership lead. */
const localRoleValues = ['coordinator', 'partnership-lead'] as const;

function localRolesOf(raw: unknown): ProfessionalRole[] {
  const given = Array.isArray(raw) ? raw : [raw];
  return localRoleValues.filter((role) => given.includes(role));
}

export type SignInResult = { ok: true; value: SignIn } | { ok: false; values: SignInValues; errors: SignInErrors };

const keys = ['name', 'role', 'organisation', 'email'] as const;

/** Parses the posted form; on failure returns what was typed (to re-show) and one message per field. */
export function parseSignIn(body: unknown): SignInResult {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: SignInValues = Object.fromEntries(keys.map((k) => [k, typeof raw[k] === 'string' ? (raw[k] as string).slice(0, 400) : '']));
  const parsed = signInSchema.safeParse(values);
  if (parsed.success) return { ok: true, value: { ...parsed.data, localRoles: localRolesOf(raw.localRoles) } };
  const errors: SignInErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof SignInValues;
    if (keys.includes(key) && !errors[key]) errors[key] = issue.message;
  }
  return { ok: false, values, errors };
}
