import { wordsFor, type ServiceWordKey, type ServiceWords, type WordValues } from '../../flows';
import { signInPath } from '../auth';
import { chatClientWords } from '../clientWords';

/** Escapes text for HTML element content and double-quoted attributes. Every dynamic value goes through it. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Plain CSS, high contrast; inline <style> is allowed by the CSP (styles cannot run code). */
const styles = `
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #0b0c0c; background: #fff; }
  header { background: #1d3557; color: #fff; padding: 0.75rem 1rem; display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
  header h1 { font-size: 1.2rem; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
  header .short { display: none; }
  footer { padding: 0.5rem 1rem; border-top: 1px solid #b1b4b6; }
  footer a { color: #1d3557; }
  .statement { max-width: 44rem; }
  .emergency { background: #fff4e5; border-left: 6px solid #b54708; margin: 0; padding: 0.6rem 1rem; font-weight: 600; }
  .emergency p { margin: 0; }
  main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
  .mode { display: inline-block; background: #ffdd00; color: #0b0c0c; padding: 0.2rem 0.5rem; font-weight: 700; }
  form.signin fieldset.local-roles { margin-top: 1rem; border: 2px dashed #b58105; }
  form.signin fieldset.local-roles input { display: inline; width: auto; }
  form.signin fieldset.local-roles label { display: inline-block; font-weight: 400; margin: 0.25rem 1rem 0 0; }
  form.signin label { display: block; font-weight: 600; margin-top: 1rem; }
  form.signin input { display: block; width: 100%; max-width: 30rem; padding: 0.4rem; font-size: 1rem; border: 2px solid #0b0c0c; box-sizing: border-box; }
  .field-error { color: #b00020; font-weight: 600; margin: 0.25rem 0 0; }
  .error-summary { border: 4px solid #b00020; padding: 0.5rem 1rem; margin-bottom: 1rem; }
  button { font-size: 1rem; padding: 0.5rem 1rem; margin-top: 1rem; cursor: pointer; }
  header button { margin: 0; }
  :focus-visible { outline: 3px solid #ffdd00; outline-offset: 2px; }
  .sg-progress { margin: 0.5rem 0 0 3rem; font-size: 0.875rem; color: #505a5f; }
  .sg-result { border: 2px solid #1d3557; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0 0 3rem; max-width: 32rem; background: #f3f6fa; }
  .sg-result h3 { font-size: 1rem; margin: 0 0 0.4rem; }
  .sg-result dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.75rem; margin: 0; }
  .sg-result dt { font-weight: 600; }
  .sg-result dd { margin: 0; }
  .sg-result h4 { font-size: 1rem; margin: 0.6rem 0 0.2rem; }
  .sg-result p { margin: 0.4rem 0; overflow-wrap: anywhere; }
  .sg-result a { color: #1d3557; font-weight: 700; }
  .sg-result details { margin: 0.5rem 0; }
  .sg-result summary { cursor: pointer; font-weight: 600; color: #1d3557; }
  .sg-record { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .sg-record button { margin: 0; font-size: 0.95rem; padding: 0.35rem 0.7rem; }
  .sg-record__status { margin: 0; flex-basis: 100%; }
  .sg-multichoice { margin: 0.5rem 0 0 3rem; max-width: 32rem; }
  .sg-multichoice fieldset { border: 2px solid #1d3557; border-radius: 4px; padding: 0.5rem 0.75rem; background: #f3f6fa; }
  .sg-multichoice legend { font-weight: 600; padding: 0 0.25rem; }
  .sg-multichoice .sg-hint { margin: 0 0 0.4rem; }
  .sg-choice { display: flex; gap: 0.5rem; align-items: flex-start; margin: 0.3rem 0; }
  .sg-choice input { width: 1.25rem; height: 1.25rem; margin: 0.1rem 0 0; flex: none; }
  .sg-problem { color: #b00020; font-weight: 600; margin: 0.3rem 0 0; }
  .sg-multichoice button { margin-top: 0.5rem; }
  .sg-sectionform { margin: 0.5rem 0 0 3rem; max-width: 32rem; }
  .sg-sectionform fieldset { border: 2px solid #1d3557; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0 0 0.5rem; background: #f3f6fa; }
  .sg-sectionform legend { font-weight: 600; padding: 0 0.25rem; }
  .sg-field { display: flex; flex-direction: column; margin: 0.3rem 0; }
  .sg-field input, .sg-field select, .sg-field textarea { font: inherit; padding: 0.25rem; border: 1px solid #505a5f; }
  .sg-field [aria-invalid="true"] { border: 2px solid #b00020; }
  @media print {
    body.sg-printing * { visibility: hidden; }
    body.sg-printing .sg-print-target, body.sg-printing .sg-print-target * { visibility: visible; }
    body.sg-printing .sg-print-target { position: absolute; left: 0; top: 0; margin: 0; border: none; max-width: none; }
    body.sg-printing .sg-print-target details > * { display: block; }
    body.sg-printing .sg-record { display: none; }
  }
  #webchat { height: calc(100vh - 9rem); min-height: 24rem; border: 1px solid #b1b4b6; }
  /* The chat page fills the screen as a column, so the message box stays on screen at any height. */
  body.chat { display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
  body.chat main { flex: 1; display: flex; flex-direction: column; min-height: 0; width: 100%; box-sizing: border-box; }
  body.chat #webchat { flex: 1; height: auto; min-height: 12rem; display: flex; flex-direction: column; }
  body.chat #webchat > * { flex: 1; min-height: 0; }
  body.chat footer { padding: 0.25rem 1rem; }
  /* Web Chat's own buttons keep Web Chat's spacing (the page's button margin would make each choice 66px tall). */
  #webchat button[class*="webchat__"] { margin: 0; }
  /* Many choices on a short screen scroll in their own box, so the conversation above them stays in sight. */
  body.chat #webchat .webchat__suggested-actions__flow-box { max-height: 30vh; max-height: 30dvh; overflow-y: auto; }
  .kept-for { margin: 0 0 0.5rem; }
  .stream-notice { border: 4px solid #1d3557; background: #f3f6fa; padding: 0.5rem 1rem; margin: 0 0 0.5rem; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
  .stream-notice p { margin: 0; font-weight: 600; }
  .stream-notice button { margin: 0; }
  /* Phone size (issue 20 item 7): the header on one line, the short name, nothing wider than the screen. */
  @media (max-width: 40rem) {
    header { padding: 0.5rem 0.75rem; }
    header h1 { font-size: 1.05rem; }
    header .long { display: none; }
    header .short { display: inline; }
    header button { padding: 0.35rem 0.6rem; }
    .emergency { padding: 0.4rem 0.75rem; font-size: 0.95rem; }
    main { padding: 0.5rem; }
    .sg-result { margin-left: 0; }
    .kept-for { font-size: 0.875rem; }
  }
`;

/**
 * The pack's words a page's script shows, in a hidden element's data attribute (never an inline script:
 * the CSP allows none). The script reads them with `pageWords` (server/tabs/client/pageWords.ts), so it
 * says the pack's words even when its own API call fails.
 */
export function wordsElement(words: ServiceWords, keys: readonly ServiceWordKey[], values?: WordValues): string {
  return `<div id="sg-words" hidden data-words="${escapeHtml(JSON.stringify(wordsFor(words, keys, values)))}"></div>`;
}

/** The link every page carries to the accessibility statement (public-sector sites must publish one). */
export function accessibilityFooter(words: ServiceWords): string {
  return `<footer><a href="/accessibility">${escapeHtml(words('footer-accessibility'))}</a></footer>`;
}

function layout(words: ServiceWords, title: string, partnershipName: string, body: string, headerExtra = '', headExtra = '', bodyClass = ''): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
${headExtra}</head>
<body${bodyClass ? ` class="${bodyClass}"` : ''}>
<header><h1><span class="long">${escapeHtml(words('page-heading', { partnership: partnershipName }))}</span><span class="short">${escapeHtml(words('page-heading-short'))}</span></h1>${headerExtra}</header>
<aside class="emergency"><p role="note">${escapeHtml(words('page-not-for-emergencies'))}</p></aside>
${body}
${accessibilityFooter(words)}
</body>
</html>`;
}

export interface SignInValues {
  name?: string;
  role?: string;
  organisation?: string;
  email?: string;
}

export type SignInErrors = Partial<Record<keyof SignInValues, string>>;

const fields: Array<{ key: keyof SignInValues; label: ServiceWordKey; type: string; autocomplete: string }> = [
  { key: 'name', label: 'signin-field-name', type: 'text', autocomplete: 'name' },
  { key: 'role', label: 'signin-field-role', type: 'text', autocomplete: 'organization-title' },
  { key: 'organisation', label: 'signin-field-organisation', type: 'text', autocomplete: 'organization' },
  { key: 'email', label: 'signin-field-email', type: 'email', autocomplete: 'email' },
];

function field(words: ServiceWords, f: (typeof fields)[number], value: string, error?: string): string {
  const id = `signin-${f.key}`;
  const described = error ? ` aria-describedby="${id}-error" aria-invalid="true"` : '';
  const message = error ? `<p class="field-error" id="${id}-error">${escapeHtml(error)}</p>` : '';
  return `<label for="${id}">${escapeHtml(words(f.label))}</label>${message}
<input id="${id}" name="${f.key}" type="${f.type}" autocomplete="${f.autocomplete}" required value="${escapeHtml(value)}"${described}>`;
}

/** The local sign-in form, with any errors above it (summary) and beside each field. */
export function signInPage(words: ServiceWords, partnershipName: string, values: SignInValues = {}, errors: SignInErrors = {}, returnTo = '/'): string {
  const say = (key: ServiceWordKey) => escapeHtml(words(key));
  const listed = Object.entries(errors).filter(([, message]) => message);
  const summary = listed.length
    ? `<div class="error-summary" role="alert"><h2>${say('signin-problem')}</h2><ul>${listed
        .map(([key, message]) => `<li><a href="#signin-${escapeHtml(key)}">${escapeHtml(message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const inputs = fields.map((f) => field(words, f, values[f.key] ?? '', errors[f.key])).join('\n');
  const body = `<main>
<h2>${say('signin-heading')} <span class="mode">${say('signin-local-mode')}</span></h2>
<p>${say('signin-local-warning')}</p>
${summary}
<form class="signin" method="post" action="${escapeHtml(returnTo === '/' ? '/signin' : signInPath(returnTo))}" novalidate>
${inputs}
<fieldset class="local-roles"><legend>${say('signin-act-as')}</legend>
<label><input type="checkbox" name="localRoles" value="coordinator"> ${say('signin-act-as-coordinator')}</label>
<label><input type="checkbox" name="localRoles" value="partnership-lead"> ${say('signin-act-as-lead')}</label>
</fieldset>
<button type="submit">${say('signin-button')}</button>
</form>
</main>`;
  return layout(words, words('signin-title', { partnership: partnershipName }), partnershipName, body);
}

/** Hours as a person reads them: whole, or to one decimal place (RETENTION_CONVERSATION_HOURS may be 0.5). */
const hoursText = (hours: number) => String(Math.round(hours * 10) / 10);

/**
 * The chat page: the bundle finds #webchat, reads the partnership name from its data attribute and its words from #sg-words,
 * and says in #sg-stream why the conversation stopped arriving here when it does. `keptHours`: how long a conversation is kept.
 */
export function chatPage(words: ServiceWords, partnershipName: string, keptHours: number): string {
  const signOut = `<form method="post" action="/signout"><button type="submit">${escapeHtml(words('chat-sign-out'))}</button></form>`;
  const keptFor = keptHours === 1 ? words('chat-kept-for-one-hour') : words('chat-kept-for', { hours: hoursText(keptHours) });
  const body = `<main>
<p class="kept-for" id="sg-kept-for">${escapeHtml(keptFor)}</p>
<div id="sg-stream"></div>
<div id="webchat" role="region" aria-label="${escapeHtml(words('chat-region'))}" data-partnership="${escapeHtml(partnershipName)}"></div>
<noscript>${escapeHtml(words('chat-needs-javascript'))}</noscript>
${wordsElement(words, chatClientWords, { partnership: partnershipName })}
</main>
<script src="/webchat/app.js" defer></script>`;
  return layout(words, words('chat-title', { partnership: partnershipName }), partnershipName, body, signOut, '', 'chat');
}

/** A short page for a sign-in that could not finish: what happened and one way on. */
export function noticePage(words: ServiceWords, partnershipName: string, heading: string, text: string, link: { href: string; label: string }): string {
  const body = `<main>
<h2>${escapeHtml(heading)}</h2>
<p>${escapeHtml(text)}</p>
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>
</main>`;
  return layout(words, words('page-notice-title', { heading, partnership: partnershipName }), partnershipName, body);
}

/** The accessibility statement (`/accessibility`): open to anyone, signed in or not, every page links to it. */
export function accessibilityPage(words: ServiceWords, partnershipName: string): string {
  const para = (key: ServiceWordKey) => `<p>${escapeHtml(words(key, { partnership: partnershipName }))}</p>`;
  const body = `<main class="statement">
<h2>${escapeHtml(words('a11y-title'))}</h2>
${(['a11y-intro', 'a11y-can', 'a11y-compliance', 'a11y-known-issues', 'a11y-feedback', 'a11y-enforcement', 'a11y-prepared'] as const).map(para).join('\n')}
</main>`;
  return layout(words, words('a11y-title'), partnershipName, body);
}

/**
 * A signed-in professional without the role a page needs (issue 20): a page that says who they are signed
 * in as, whom the page is for and whom to ask, not a JSON problem. The status stays 403.
 */
export function forbiddenPage(words: ServiceWords, partnershipName: string, name: string, roles: string): string {
  const body = `<main>
<h2>${escapeHtml(words('forbidden-title'))}</h2>
<p>${escapeHtml(words('forbidden-body', { name, roles }))}</p>
<p>${escapeHtml(words('forbidden-who-to-ask', { roles }))}</p>
<p><a href="/">${escapeHtml(words('forbidden-back'))}</a></p>
</main>`;
  return layout(words, words('forbidden-title'), partnershipName, body);
}

/** A browser's "page not found" (issue 20): the 999 banner and footer of every page, and the way home. Status 404. */
export function notFoundPage(words: ServiceWords, partnershipName: string): string {
  const body = `<main>
<h2>${escapeHtml(words('not-found-title'))}</h2>
<p>${escapeHtml(words('not-found-body'))}</p>
<p><a href="/">${escapeHtml(words('not-found-home'))}</a></p>
</main>`;
  return layout(words, words('not-found-title'), partnershipName, body);
}

/**
 * The step after an OIDC callback. The callback is the end of a cross-site redirect chain, in which the
 * browser withholds our SameSite=Strict session cookie; a same-site navigation from this page carries it.
 */
export function continuePage(words: ServiceWords, partnershipName: string, href: string): string {
  const link = escapeHtml(href);
  const body = `<main>
<h2>${escapeHtml(words('signed-in-heading'))}</h2>
<p><a href="${link}">${escapeHtml(words('signed-in-continue'))}</a></p>
</main>`;
  return layout(words, words('signed-in-title', { partnership: partnershipName }), partnershipName, body, '', `<meta http-equiv="refresh" content="0;url=${link}">\n`);
}
