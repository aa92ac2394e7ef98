// The insight page in the browser. It holds no figures until this script fetches them from
// /api/insights: in Teams (teams-js initialises) with the SSO token as a bearer, since a page framed by
// Teams is cross-site and gets no SameSite=Strict cookie; outside Teams with the session cookie, as any
// page of ours. Bundled with Chart.js and teams-js by server/insights/build.mjs.
import { app } from '@microsoft/teams-js';
import { insightsClientWords } from '../../clientWords';
import { pageWords } from '../../tabs/client/pageWords';
import { authHeaders, insideTeams, teamsSsoToken } from '../../tabs/client/teamsHost';
import { drawCharts } from './charts';
import { renderReport } from './render';
import type { Report } from './report';

const say = pageWords(insightsClientWords);
const byId = (id: string) => document.getElementById(id) as HTMLElement;
const field = (id: string) => (document.getElementById(id) as HTMLInputElement).value;

function showStatus(text: string): void {
  byId('status').textContent = text;
}

/** The range the server put in the filter (it completed and checked the query). */
const rangeQuery = () => new URLSearchParams({ from: field('from'), to: field('to') }).toString();

/**
 * In Teams the CSV link would go without the bearer: fetch it with the token and save it through a
 * Blob link instead (a same-document download, which the CSP does not restrict).
 */
function downloadWithBearer(link: HTMLAnchorElement, bearer: string): void {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    saveCsv(link, bearer).catch(() => showStatus(say('insights-csv-failed')));
  });
}

/** Fetches the CSV with the bearer and saves it under a name that says its range. */
async function saveCsv(link: HTMLAnchorElement, bearer: string): Promise<void> {
  const res = await fetch(link.href, { headers: authHeaders(bearer, 'text/csv'), credentials: 'same-origin' });
  if (!res.ok) return showStatus(say('insights-csv-failed'));
  const url = URL.createObjectURL(await res.blob());
  const save = document.createElement('a');
  save.href = url;
  save.download = `partnership-insight-${field('from')}-to-${field('to')}.csv`;
  document.body.append(save);
  save.click();
  save.remove();
  // Give the browser the Blob's bytes before it is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What the API's refusal means to the reader; framed, a sign-in redirect would leave Teams. */
function refused(status: number, framed: boolean): void {
  if (status === 403) return showStatus(say('insights-forbidden'));
  if (!framed) return window.location.assign(`/signin?returnTo=${encodeURIComponent(`/insights?${rangeQuery()}`)}`);
  showStatus(say('insights-teams-sign-in-failed'));
  byId('open-in-browser').hidden = false;
}

async function start(): Promise<void> {
  let bearer: string | undefined;
  if (await insideTeams()) {
    bearer = await teamsSsoToken();
    // Not awaited: the page goes on loading while Teams hides its spinner (the host's answer changes nothing here).
    void app.notifySuccess();
  }
  const res = await fetch(`/api/insights?${rangeQuery()}`, { headers: authHeaders(bearer, 'application/json'), credentials: 'same-origin' });
  if (res.status === 401 || res.status === 403) return refused(res.status, window.parent !== window);
  if (!res.ok) throw new Error(`insights ${res.status}`);
  const report = (await res.json()) as Report;
  renderReport(report, byId('report'), say);
  drawCharts(report);
  showStatus(say('insights-figures-for', { from: report.from, to: report.to }));
  const link = document.getElementById('export');
  if (bearer && link instanceof HTMLAnchorElement) downloadWithBearer(link, bearer);
}

start().catch(() => showStatus(say('insights-load-failed')));
