// The "My referrals" tab in the browser. In Teams: initialise teams-js, follow the theme, sign in with
// SSO (getAuthToken → POST /tabs/sso) and list. Outside Teams (no parent frame, or Teams not answering
// within 2 s): the shared web session, and the web sign-in page when there is none.
import { app } from '@microsoft/teams-js';
import { tabClientWords } from '../../clientWords';
import { pageWords } from './pageWords';
import { renderDrafts, renderQuestions } from './questions';
import { renderList, showSignIn, showStatus, type ListResponse } from './render';
import { authHeaders, insideTeams, teamsSsoToken } from './teamsHost';

const returnTo = '/tabs/referrals';

function applyTheme(theme: string | undefined): void {
  const name = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  document.body.className = `theme-${name}`;
}

async function fetchList(bearer?: string): Promise<ListResponse | 'signed-out'> {
  const res = await fetch('/api/my-referrals', { headers: authHeaders(bearer, 'application/json'), credentials: 'same-origin' });
  if (res.status === 401) return 'signed-out';
  if (!res.ok) throw new Error(`list ${res.status}`);
  return (await res.json()) as ListResponse;
}

/** The SSO token, once the server has accepted it (and opened the session for a same-site visit later). */
async function teamsToken(): Promise<string | undefined> {
  const token = await teamsSsoToken();
  if (!token) return undefined;
  try {
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
    // Not awaited: the page goes on loading while Teams hides its spinner (the host's answer changes nothing here).
    void app.notifySuccess();
  }
  const list = await fetchList(bearer);
  if (list === 'signed-out') {
    // Framed in Teams, a top-level redirect would leave Teams: offer the link instead.
    if (window.parent === window) window.location.assign(`/signin?returnTo=${encodeURIComponent(returnTo)}`);
    else showSignIn();
    return;
  }
  renderQuestions(list.questions ?? [], bearer);
  renderDrafts(list.drafts ?? []);
  renderList(list, bearer);
}

start().catch(() => showStatus(pageWords(tabClientWords)('tab-load-failed')));
