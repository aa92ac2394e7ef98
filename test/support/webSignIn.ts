/** A professional as the local sign-in form takes them (synthetic). */
export interface LocalProfessional {
  name: string;
  role: string;
  organisation: string;
  email: string;
  /** Local mode only: act as a coordinator and/or partnership lead. */
  localRoles?: Array<'coordinator' | 'partnership-lead'>;
}

export const testTeacher: LocalProfessional = {
  name: 'Test Teacher',
  role: 'Designated safeguarding lead',
  organisation: 'Test School',
  email: 'test.teacher@example.org',
};

/** Signs in through the local sign-in form and returns the `name=value` session cookie. */
export async function signInLocally(baseUrl: string, professional: LocalProfessional = testTeacher): Promise<string> {
  const body = new URLSearchParams({ name: professional.name, role: professional.role, organisation: professional.organisation, email: professional.email });
  for (const role of professional.localRoles ?? []) body.append('localRoles', role);
  const res = await fetch(`${baseUrl}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (res.status !== 303 || !cookie) throw new Error(`local sign-in failed: ${res.status}`);
  return cookie;
}

/** The Direct Line token the chat page asks for: bound to the signed-in professional and one conversation. */
export async function webChatToken(baseUrl: string, cookie: string): Promise<{ token: string; conversationId: string; userId: string }> {
  const res = await fetch(`${baseUrl}/webchat/token`, { method: 'POST', headers: { cookie } });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status}`);
  return (await res.json()) as { token: string; conversationId: string; userId: string };
}
