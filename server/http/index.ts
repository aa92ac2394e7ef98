/** What every HTTP surface shares, the service's pages and the reference MASH alike: one escaping, one problem format, one cross-site check. */
export { agoText, escapeHtml, html, londonTimeText, SafeHtml, timeOf } from './html';
export { notFound, problemHandler, sendProblem } from './problem';
export { sameOrigin } from './sameOrigin';
