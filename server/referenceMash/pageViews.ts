import { decisionOutcomes } from '../../flows';
import { html, timeOf, type SafeHtml } from '../http';
import type { EventEntry, HistoryEntry, MashIntelligence, MashReferral } from './referenceMashRecords';

/** What every signed-in view needs: where the page is mounted and the CSRF token for its forms. */
export interface PageContext {
  base: string;
  csrf: string;
}

const outcomeLabels: Record<(typeof decisionOutcomes)[number], string> = {
  nfa: 'No further action',
  'early-help': 'Early help',
  assessment: 'Social work assessment',
  'strategy-discussion': 'Strategy discussion',
  police: 'Passed to the police',
};

export function layout(title: string, main: SafeHtml, signedIn?: PageContext): string {
  const signOut = signedIn
    ? html`<form method="post" action="${signedIn.base}/logout"><input type="hidden" name="csrf" value="${signedIn.csrf}"><button type="submit">Sign out</button></form>`
    : '';
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} - reference MASH</title></head>
<body><header><p><strong>Reference MASH intake</strong>: a local stand-in for the partnership's MASH, for testing and demonstration.</p>${signOut}</header>
<main><h1>${title}</h1>${main}</main></body></html>`.value;
}

export function loginPage(base: string, error?: string): string {
  return layout(
    'Sign in',
    html`${error ? html`<p role="alert">${error}</p>` : ''}
<form method="post" action="${base}/login">
<p><label for="token">Access token</label> <input id="token" name="token" type="password" autocomplete="current-password" required></p>
<p>The token is the reference MASH's API token, in <code>DATA_DIR/reference-mash.token</code>.</p>
<button type="submit">Sign in</button></form>`,
  );
}

export function messagePage(title: string, text: string, base: string, ctx?: PageContext): string {
  return layout(title, html`<p role="alert">${text}</p><p><a href="${base}">Back to the referrals</a></p>`, ctx);
}

function deliveryText(entry: EventEntry): string {
  const last = entry.deliveries.at(-1);
  if (!last) return 'not sent yet';
  return last.status !== undefined ? `webhook answered ${last.status}` : `not delivered: ${last.failure ?? 'unknown'}`;
}

export const delivered = (entry: EventEntry) => {
  const status = entry.deliveries.at(-1)?.status;
  return status !== undefined && status >= 200 && status < 300;
};

function eventText(event: EventEntry['event']): string {
  if (event.type === 'referral.decision') return `Decision sent: ${outcomeLabels[event.decision.outcome]}${event.decision.note ? `. Note: ${event.decision.note}` : ''}`;
  if (event.type === 'referral.info-requested') return `Question sent to the referrer: ${event.question}`;
  return 'Acknowledgement sent';
}

function hidden(ctx: PageContext, fields: Record<string, string>): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${ctx.csrf}">${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
}

function historyItem(entry: HistoryEntry, referral: MashReferral, ctx: PageContext): SafeHtml {
  if (entry.kind === 'received') return html`<li>${timeOf(entry.at)}: referral received</li>`;
  if (entry.kind === 'message') {
    return html`<li>${timeOf(entry.at)}: the referrer answered${entry.inReplyTo ? ` (to ${entry.inReplyTo})` : ''}: <q>${entry.text}</q></li>`;
  }
  const resend = delivered(entry)
    ? ''
    : html` <form method="post" action="${ctx.base}/events/resend">${hidden(ctx, { referralId: referral.referralId, eventId: entry.event.eventId })}<button type="submit">Send ${entry.event.eventId} again</button></form>`;
  return html`<li>${timeOf(entry.at)}: ${eventText(entry.event)} (<span>${entry.event.eventId}</span>; ${deliveryText(entry)})${resend}</li>`;
}

function eventForms(referral: MashReferral, ctx: PageContext): SafeHtml {
  const id = referral.referralId;
  const fields = { referralId: id };
  return html`<form method="post" action="${ctx.base}/events"><fieldset><legend>Acknowledge</legend>${hidden(ctx, { ...fields, type: 'referral.acknowledged' })}
<button type="submit">Acknowledge ${referral.reference}</button></fieldset></form>
<form method="post" action="${ctx.base}/events"><fieldset><legend>Decision</legend>${hidden(ctx, { ...fields, type: 'referral.decision' })}
<p><label for="outcome-${id}">Outcome</label> <select id="outcome-${id}" name="outcome" required><option value="">Choose an outcome</option>${decisionOutcomes.map((o) => html`<option value="${o}">${outcomeLabels[o]}</option>`)}</select></p>
<p><label for="note-${id}">Note to the referrer (optional)</label><br><textarea id="note-${id}" name="note" rows="3" cols="60" maxlength="5000"></textarea></p>
<button type="submit">Send decision on ${referral.reference}</button></fieldset></form>
<form method="post" action="${ctx.base}/events"><fieldset><legend>Ask the referrer</legend>${hidden(ctx, { ...fields, type: 'referral.info-requested' })}
<p><label for="question-${id}">Question</label><br><textarea id="question-${id}" name="question" rows="3" cols="60" maxlength="5000" required></textarea></p>
<button type="submit">Ask about ${referral.reference}</button></fieldset></form>`;
}

/** Only the child's initial and age band: the page is for triage, not a case record. */
function referralSection(r: MashReferral, ctx: PageContext): SafeHtml {
  return html`<section id="referral-${r.referralId}" aria-labelledby="heading-${r.referralId}">
<h2 id="heading-${r.referralId}">${r.reference} (${r.status})</h2>
<dl>
<dt>Received</dt><dd>${timeOf(r.receivedAt)}</dd>
<dt>Urgency</dt><dd>${r.urgency}${r.immediateDanger ? html` <strong>(immediate danger)</strong>` : ''}</dd>
<dt>Contract version</dt><dd>${r.schemaVersion}${r.guidanceVersion ? ` (guidance pack ${r.guidanceVersion})` : ''}</dd>
<dt>Screening category</dt><dd>${r.screeningCategory ?? 'no exploitation screening'}</dd>
<dt>Concern categories</dt><dd>${r.categories.join(', ')}</dd>
${r.consentReason ? html`<dt>Consent not relied on</dt><dd>${r.consentReason}</dd>` : ''}
${r.overrides?.length ? html`<dt>Safety overrides</dt><dd>${r.overrides.join(', ')}</dd>` : ''}
${r.steps?.length ? html`<dt>Steps given to the referrer</dt><dd>${r.steps.join(', ')}</dd>` : ''}
${r.familyAware ? html`<dt>Family aware of the referral</dt><dd>${r.familyAware}</dd>` : ''}
${
  r.marfFields
    ? html`<dt>MARF details received</dt><dd>${Object.entries(r.marfFields)
        .map(([name, count]) => `${name} (${count})`)
        .join(', ')}</dd>`
    : ''
}
<dt>Child</dt><dd>${r.childInitial || '?'}., aged ${r.ageBand}</dd>
<dt>Referrer's reference</dt><dd>${r.clientReference}</dd>
${r.decision ? html`<dt>Decision</dt><dd>${outcomeLabels[r.decision.outcome]}</dd>` : ''}
</dl>
<h3>Concern</h3><p>${r.summary}</p>
<h3>History</h3><ol>${r.history.map((h) => historyItem(h, r, ctx))}</ol>
<h3>Send an event to the referrer</h3>${eventForms(r, ctx)}
</section>`;
}

function intelligenceSection(items: MashIntelligence[]): SafeHtml {
  if (items.length === 0) return html``;
  return html`<h2>Partnership intelligence</h2><ul>${items.map((i) => html`<li>${timeOf(i.receivedAt)} (${i.themes.join(', ')}; ${i.clientReference}): ${i.summary}</li>`)}</ul>`;
}

export function referralsPage(referrals: MashReferral[], intelligence: MashIntelligence[], ctx: PageContext, notice?: string): string {
  const body = html`${notice ? html`<p role="status">${notice}</p>` : ''}
${referrals.length ? referrals.map((r) => referralSection(r, ctx)) : html`<p>No referrals have arrived yet.</p>`}
${intelligenceSection(intelligence)}`;
  return layout('Referrals received', body, ctx);
}
