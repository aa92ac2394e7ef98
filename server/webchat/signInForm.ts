import { z } from 'zod';
import type { ServiceWords } from '../../flows';
import type { ProfessionalRole } from '../../integrations';
import type { SignInErrors, SignInValues } from './pages';

/** What the local sign-in form must hold; the pack's messages are written to be read out beside the field. */
export function signInSchema(words: ServiceWords) {
  const text = (missing: string) =>
    z
      .string({ message: missing })
      .trim()
      .min(1, missing)
      .max(200, words('signin-too-long', { max: 200 }));
  const missingEmail = words('signin-missing-email');
  return z.object({
    name: text(words('signin-missing-name')),
    role: text(words('signin-missing-role')),
    organisation: text(words('signin-missing-organisation')),
    email: z
      .string({ message: missingEmail })
      .trim()
      .min(1, missingEmail)
      .max(320, words('signin-too-long', { max: 320 }))
      .pipe(z.email(words('signin-email-format'))),
  });
}

export type SignIn = z.infer<ReturnType<typeof signInSchema>> & { localRoles: ProfessionalRole[] };

/** Local mode only (marked on the page): lets a tester act as a coordinator or partnership lead. */
const localRoleValues = ['coordinator', 'partnership-lead'] as const;

function localRolesOf(raw: unknown): ProfessionalRole[] {
  const given = Array.isArray(raw) ? raw : [raw];
  return localRoleValues.filter((role) => given.includes(role));
}

export type SignInResult = { ok: true; value: SignIn } | { ok: false; values: SignInValues; errors: SignInErrors };

const keys = ['name', 'role', 'organisation', 'email'] as const;

/** Parses the posted form; on failure returns what was typed (to re-show) and one message per field. */
export function parseSignIn(body: unknown, words: ServiceWords): SignInResult {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: SignInValues = Object.fromEntries(keys.map((k) => [k, typeof raw[k] === 'string' ? raw[k].slice(0, 400) : '']));
  const parsed = signInSchema(words).safeParse(values);
  if (parsed.success) return { ok: true, value: { ...parsed.data, localRoles: localRolesOf(raw.localRoles) } };
  const errors: SignInErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof SignInValues;
    if (keys.includes(key) && !errors[key]) errors[key] = issue.message;
  }
  return { ok: false, values, errors };
}
