import { flattenPack, packChanges, type ContentPack, type FlatPack, type PackChange, type SignedOff } from '../../flows';
import { html, SafeHtml } from '../http';

type Contact = ContentPack['contacts'][number];
type Opening = NonNullable<Contact['opening']>;
type Rule = { days: string[]; from: string; to: string };

/** Sections with their own layout; every other top-level part of the pack is shown as a key/value table. */
const laidOut = new Set([
  'id',
  'version',
  'locale',
  'title',
  'reviewedOn',
  'reviewedBy',
  'callNow',
  'notes',
  'sources',
  'messages',
  'questions',
  'intents',
  'contacts',
  'rules',
  'faqs',
  'bankHolidays',
  'adviceLines',
]);

/** A text a lead must confirm: marked [check] or "(check …)" by whoever wrote it. */
const checkMark = /\[check\b|\(check\b|\bcheck with the partnership\b/i;

const style = `
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #333; page-break-after: avoid; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; } tr { page-break-inside: avoid; } code { font-size: 0.95em; word-break: break-word; }
.status { border: 2px solid #333; padding: 0.6em 1em; } .warn { color: #8a0000; font-weight: bold; } .check { background: #fff4c2; }
.changed { background: #e8f0ff; } .added { background: #e6f6e6; } .removed { background: #fde8e8; } .muted { color: #555; }
.sign { margin-top: 3em; } .sign td { height: 2.5em; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } a { color: inherit; text-decoration: none; } a[href]::after { content: " (" attr(href) ")"; font-size: 0.85em; } }
`;

function source(pack: ContentPack, id: string | undefined): SafeHtml {
  if (!id) return html`<span class="muted">no source</span>`;
  const entry = pack.sources[id];
  if (!entry) return html`<span class="warn">unknown source "${id}"</span>`;
  const replaced = entry.supersededBy ? html` <span class="warn">SUPERSEDED by ${entry.supersededBy}</span>` : '';
  return html`<code>${id}</code>: ${entry.title} (${entry.publisher}, ${entry.date})${replaced}`;
}

function statusBox(pack: ContentPack, signedOff: SignedOff | undefined, generatedAt: string): SafeHtml {
  const reviewer = pack.reviewedBy.trim() ? pack.reviewedBy : html`<span class="warn">nobody yet: production will refuse to start this pack</span>`;
  const baseline = signedOff
    ? html`version ${signedOff.version}, ${signedOff.reviewedBy ? html`signed off by ${signedOff.reviewedBy} on ${signedOff.reviewedOn}` : html`<span class="warn">never signed off</span>`}${signedOff.note ? html` <span class="muted">(${signedOff.note})</span>` : ''}`
    : html`<span class="warn">none found</span>`;
  return html`<div class="status"><p><strong>Pack:</strong> ${pack.title} (<code>${pack.id}</code>), version <strong>${pack.version}</strong>, language ${pack.locale}.</p>
<p><strong>Last reviewed:</strong> ${pack.reviewedOn ?? 'never'}; <strong>signed off by:</strong> ${reviewer}.</p>
<p><strong>Compared with the signed-off version:</strong> ${baseline}.</p>
<p class="muted">Written ${generatedAt} by <code>npm run pack:export</code>. This document is the whole pack: every text a professional can be shown, with its source.</p></div>`;
}

function howToRead(): SafeHtml {
  return html`<h2>How to read this document</h2>
<ul><li><code>{name}</code> in a text is filled by the service with a value (a reference, a date).</li>
<li><code>{{call-now}}</code> is filled when the message is sent with the children's line open at that moment: the Children and Families Help Desk in office hours with the Emergency Duty Team as its out-of-hours alternative, otherwise the Emergency Duty Team (answerphone, call-back) and when the help desk reopens; "call either" when nobody can say which answers.</li>
<li><code>{{call:ID}}</code> is filled the same way for one contact (see Contacts), with its alternative when it is closed.</li>
<li>Rows shaded yellow are marked <strong>[check]</strong>: the developers could not confirm them against a current source. Sources marked <span class="warn">SUPERSEDED</span> must not be cited by any text.</li></ul>`;
}

function changeRows(changes: PackChange[]): SafeHtml {
  if (changes.length === 0) return html`<p>No text has changed since the signed-off version.</p>`;
  const counts = ['changed', 'added', 'removed'].map((kind) => `${changes.filter((c) => c.kind === kind).length} ${kind}`).join(', ');
  return html`<p>${counts}.</p><table><thead><tr><th>Where</th><th>Change</th><th>Signed-off text</th><th>Text now</th></tr></thead><tbody>${changes.map(
    (c) => html`<tr class="${c.kind}"><td><code>${c.key}</code></td><td>${c.kind}</td><td>${c.before ?? ''}</td><td>${c.after ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

function checkRows(flat: FlatPack): SafeHtml {
  const marked = Object.entries(flat).filter(([, text]) => checkMark.test(text));
  return html`<table><thead><tr><th>Where</th><th>What to confirm</th></tr></thead><tbody>${marked.map(
    ([key, text]) => html`<tr class="check"><td><code>${key}</code></td><td>${text}</td></tr>`,
  )}</tbody></table>`;
}

const dayRange = (days: string[]) => (days.join(',') === 'mon,tue,wed,thu,fri' ? 'Mon–Fri' : days.map((d) => d[0].toUpperCase() + d.slice(1)).join(', '));
const rules = (list: Rule[]) => list.map((r) => `${dayRange(r.days)} ${r.from}–${r.to}`).join('; ');

function openingWords(opening: Opening | undefined): string {
  if (!opening) return 'no opening rules: shown with its hours in words';
  if (opening.kind === 'always') return 'always open';
  if (opening.kind === 'when-closed') return `open whenever ${opening.contact} is surely closed`;
  const unsure = opening.unconfirmed.length ? `; not confirmed (shown as "call either"): ${rules(opening.unconfirmed)}` : '';
  return `${rules(opening.rules)}${unsure}${opening.closedOnBankHolidays ? '; closed on bank holidays' : ''}`;
}

function contactRows(pack: ContentPack): SafeHtml {
  return html`<table><thead><tr><th>Contact</th><th>How to reach</th><th>Hours (words and rules)</th><th>For</th><th>Source</th></tr></thead><tbody>${pack.contacts.map(
    (
      c,
    ) => html`<tr class="${c.notes && checkMark.test(c.notes) ? 'check' : ''}"><td><strong>${c.name}</strong><br><code>${c.id}</code>${c.emergency ? html`<br>shown with "999"` : ''}</td>
<td>${c.number ?? ''}${c.url ? html`<br><a href="${c.url}">${c.url}</a>` : ''}${c.email ? html`<br>${c.email}` : ''}${c.alternative ? html`<br>when closed: <code>${c.alternative}</code>` : ''}</td>
<td>${c.hours}<br><span class="muted">${openingWords(c.opening)}</span>${c.callNote ? html`<br>said with it: ${c.callNote}` : ''}</td>
<td>${c.for}${c.notes ? html`<br><em>${c.notes}</em>` : ''}</td><td>${source(pack, c.source)}</td></tr>`,
  )}</tbody></table>`;
}

function adviceGroups(pack: ContentPack): SafeHtml {
  const groups = Object.entries(pack.adviceLines ?? {});
  return html`<table><thead><tr><th>Group</th><th>Contacts, in order</th></tr></thead><tbody>${groups.map(
    ([id, g]) => html`<tr><td>${g.label} <code>${id}</code></td><td>${g.contacts.join(', ')}</td></tr>`,
  )}</tbody></table>`;
}

function bankHolidayRows(pack: ContentPack): SafeHtml {
  const dates = Object.entries(pack.bankHolidays ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return html`<table><thead><tr><th>Date</th><th>Bank holiday</th></tr></thead><tbody>${dates.map(([date, name]) => html`<tr><td>${date}</td><td>${name}</td></tr>`)}</tbody></table>`;
}

function messageRows(pack: ContentPack): SafeHtml {
  return html`<table><thead><tr><th>Key</th><th>Text</th><th>Source</th></tr></thead><tbody>${Object.entries(pack.messages).map(
    ([key, m]) => html`<tr><td><code>${key}</code></td><td>${m.text}</td><td>${source(pack, m.source)}</td></tr>`,
  )}</tbody></table>`;
}

function questionBlocks(pack: ContentPack): SafeHtml {
  return html`${Object.entries(pack.questions).map(
    ([id, q]) => html`<h3>${q.text} <code>${id}</code></h3><table><tbody>
<tr><th>Answer</th><td>${q.expects}${q.optional ? ' (optional)' : ''}${q.dynamicChoices ? ' (choices supplied by the flow)' : ''}</td></tr>
${q.choices?.length ? html`<tr><th>Choices</th><td><ol>${q.choices.map((c) => html`<li>${c.title} <code>${c.value}</code>${c.aliases.length ? html` <span class="muted">also: ${c.aliases.join(', ')}</span>` : ''}</li>`)}</ol></td></tr>` : ''}
${q.help ? html`<tr><th>Help</th><td>${q.help}</td></tr>` : ''}${q.reask ? html`<tr><th>Asked again</th><td>${q.reask}</td></tr>` : ''}
<tr><th>Source</th><td>${source(pack, q.source)}</td></tr></tbody></table>`,
  )}`;
}

function ruleRows(pack: ContentPack): SafeHtml {
  return html`<table><thead><tr><th>Rule</th><th>Text</th><th>Applies to</th><th>Source</th></tr></thead><tbody>${Object.entries(pack.rules).map(
    ([id, r]) => html`<tr><td><strong>${r.title}</strong><br><code>${id}</code></td><td>${r.text}</td><td>${r.appliesTo.join(', ')}</td><td>${source(pack, r.source)}</td></tr>`,
  )}</tbody></table>`;
}

function faqRows(pack: ContentPack): SafeHtml {
  return html`<table><thead><tr><th>Question</th><th>Answer</th><th>Source</th></tr></thead><tbody>${pack.faqs.map(
    (f) => html`<tr><td>${f.question}<br><span class="muted">heard in: ${f.phrases.join(', ')}</span></td><td>${f.text}</td><td>${source(pack, f.source)}</td></tr>`,
  )}</tbody></table>`;
}

/** Screening (thresholds, indicators, overrides, pathways), referral words and anything added later, as key/value rows. */
function otherSections(pack: ContentPack, flat: FlatPack): SafeHtml {
  const tops = Object.keys(pack).filter((key) => !laidOut.has(key) && Object.keys(flat).some((k) => k === key || k.startsWith(`${key}.`)));
  return html`${tops.map((top) => {
    const rows = Object.entries(flat).filter(([k]) => k === top || k.startsWith(`${top}.`));
    return html`<h2>${top[0].toUpperCase()}${top.slice(1)} (<code>${top}</code>)</h2><table><thead><tr><th>Where</th><th>Text or value</th></tr></thead><tbody>${rows.map(
      ([k, text]) =>
        html`<tr class="${checkMark.test(text) ? 'check' : ''}"><td><code>${k.slice(top.length + 1) || top}</code></td><td>${k.endsWith('.source') ? source(pack, text) : text}</td></tr>`,
    )}</tbody></table>`;
  })}`;
}

function sourceRows(pack: ContentPack, flat: FlatPack): SafeHtml {
  const citations = (id: string) => Object.entries(flat).filter(([k, v]) => k.endsWith('.source') && v === id).length;
  return html`<table><thead><tr><th>Id</th><th>Title and publisher</th><th>Edition</th><th>Cited by</th></tr></thead><tbody>${Object.entries(pack.sources).map(
    ([id, s]) =>
      html`<tr class="${checkMark.test(s.title) ? 'check' : ''}"><td><code>${id}</code></td><td>${s.title}<br><span class="muted">${s.publisher}</span>${s.url ? html`<br><a href="${s.url}">${s.url}</a>` : ''}${s.supersededBy ? html`<br><span class="warn">SUPERSEDED by ${s.supersededBy}: no text may cite it</span>` : ''}</td><td>${s.date}</td><td>${citations(id)} texts</td></tr>`,
  )}</tbody></table>`;
}

function signatureBlock(): SafeHtml {
  return html`<h2>Sign-off</h2><p>I have reviewed every section of this document, including each row marked [check], and approve this version of the guidance for use.</p>
<table class="sign"><tbody><tr><th>Name and role</th><td></td></tr><tr><th>Organisation</th><td></td></tr><tr><th>Signature</th><td></td></tr><tr><th>Date</th><td></td></tr></tbody></table>`;
}

/**
 * The whole pack as one self-contained, print-friendly HTML document for a safeguarding lead to review
 * and sign off: no scripts, no external files, every pack text escaped (a text with `<` is shown, never run).
 */
export function packReviewHtml(pack: ContentPack, signedOff: SignedOff | undefined, generatedAt: string): string {
  const flat = flattenPack(pack);
  const changes = packChanges(signedOff?.texts ?? {}, flat);
  const page = html`<!doctype html>
<html lang="${pack.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guidance pack for review: ${pack.title} ${pack.version}</title><style>${new SafeHtml(style)}</style></head>
<body><h1>Guidance pack for review and sign-off</h1>
${statusBox(pack, signedOff, generatedAt)}${howToRead()}
<h2>What changed since the signed-off version</h2>${changeRows(changes)}
<h2>Points to confirm with the partnership ([check])</h2>${checkRows(flat)}
<h2>Notes</h2><ul>${pack.notes.map((n) => html`<li class="${checkMark.test(n) ? 'check' : ''}">${n}</li>`)}</ul>
<h2>Contacts</h2>${contactRows(pack)}
<h3>"Who can I call?" groups</h3>${adviceGroups(pack)}
<h2>Bank holidays</h2>${bankHolidayRows(pack)}
<h2>Rules</h2>${ruleRows(pack)}
<h2>Messages</h2>${messageRows(pack)}
<h2>Questions</h2>${questionBlocks(pack)}
<h2>Common questions (FAQs)</h2>${faqRows(pack)}
${otherSections(pack, flat)}
<h2>Source register</h2>${sourceRows(pack, flat)}
${signatureBlock()}
</body></html>
`;
  return page.value;
}
