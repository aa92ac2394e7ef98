// What every page Teams frames needs from the host: is this Teams, and the SSO token. Shared by the
// "My referrals" tab and the insight page (bundled into each by esbuild).
import { app, authentication } from '@microsoft/teams-js';

const teamsWaitMs = 2000;

/** Resolves true only if the Teams host answers in time; a plain browser tab never does. */
export async function insideTeams(): Promise<boolean> {
  if (window.parent === window) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), teamsWaitMs));
  return Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

/** The Teams SSO token (Entra ID, audience = the manifest's webApplicationInfo.resource), or undefined. */
export async function teamsSsoToken(): Promise<string | undefined> {
  try {
    return await authentication.getAuthToken();
  } catch {
    return undefined;
  }
}

/** The request headers for our APIs: the bearer when there is one, else the cookie does the work. */
export function authHeaders(bearer: string | undefined, accept: string): Record<string, string> {
  return { accept, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
}
