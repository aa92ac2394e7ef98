// The "My referrals" tab in the browser. In Teams: initialise teams-js, follow the theme, sign in with
// SSO (getAuthToken → POST /tabs/sso) and list. Outside Teams (no parent frame, or Teams not answering
// within 2 s): the shared web session, and the web sign-in page when there is none.
import { app, authentication } from '@microsoft/teams-js';
import { renderList, showSignIn, showStatus, type ListResponse } from './render';

const teamsWaitMs = 2000;
const returnTo = '/tabs/referrals';

function applyTheme(theme: string | undefined): void {
  const name = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  document.body.className = `theme-${name}`;
}

/** Resolves true only if the Teams host answers in time; a plain browser tab never does. */
async function insideTeams(): Promise<boolean> {
  if (window.parent === window) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), teamsWaitMs));
  return Promise.race([app.initialize().then(() => true, () => false), timeout]);
}

async function fetchList(bearer?: string): Promise<ListResponse | 'signed-out'> {
  const res = await fetch('/api/my-referrals', { headers: { accept: 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, credentials: 'same-origin' });
  if (res.status === 401) return 'signed-out';
  if (!res.ok) throw new Error(`list ${res.status}`);
  return (await res.json()) as ListResponse;
}

async function teamsToken(): Promise<string | undefined> {
  try {
    const token = await authentication.getAuthToken();
    const res = await fetch('/tabs/sso', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin' });
    return res.ok ? token : undefined;
  } catch {
    return undefined;
  }
}

async function start(): Promise<void> {
  let bearer: string | undefined;
  if (await insideTeams()) {
    const context = await app.getContext();
    applyTheme(context.app.theme);
    app.registerOnThemeChangeHandler(applyTheme);
    bearer = await teamsToken();
    app.notifySuccess();
  }
  const list = await fetchList(bearer);
  if (list === 'signed-out') {
    // Framed in Teams, a top-level redirect would leave Teams: offer the link instead.
    if (window.parent === window) window.location.assign(`/signin?returnTo=${encodeURIComponent(returnTo)}`);
    else showSignIn();
    return;
  }
  renderList(list);
}

start().catch(() => showStatus('Your referrals could not be loaded. Try again in a minute, or phone the Children and Families Help Desk.'));
