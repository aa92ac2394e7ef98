import type { ServiceWordKey } from '../flows/content/serviceWords';

// The pack's words each browser script shows, by key. The server puts exactly these in its page
// (`wordsElement`, server/webchat/pages.ts) and the script reads them (`pageWords`,
// server/tabs/client/pageWords.ts), typed to this list. A plain file with a type-only import, so the
// bundles take it without the server or the pack.

/** The web chat page (server/webchat/client): its placeholder, its failure, the multiple-choice form, the result cards and their record, and why a stream ended. */
export const chatClientWords = [
  'chat-placeholder', 'chat-failed', 'chat-screening-result', 'chat-sharing-decision',
  'chat-stream-replaced', 'chat-stream-continue', 'chat-stream-signed-out', 'chat-stream-sign-in', 'chat-stream-ended', 'chat-stream-start-new',
  'card-send', 'card-none-of-these', 'card-your-answer', 'card-pick-some', 'chat-pick-signs', 'chat-none-with-signs', 'chat-answer-sent',
  'chat-result-outcome', 'chat-result-do-now', 'chat-result-why', 'result-label-indicators', 'result-indicators-none', 'result-label-raised',
  'result-raised', 'result-label-reference', 'result-screening-title', 'result-pathway-universal', 'result-pathway-early-help', 'result-pathway-mash-referral',
  'result-pathway-emergency', 'result-pathway-adult-safeguarding', 'result-pathway-lado', 'result-urgency-routine', 'result-urgency-same-day',
  'result-urgency-immediate', 'chat-record-copy', 'chat-record-download', 'chat-record-print', 'chat-record-copied', 'chat-record-copy-failed',
  'chat-record-title', 'chat-record-note', 'chat-record-made',
] as const satisfies readonly ServiceWordKey[];

/** The "My referrals" tab (server/tabs/client): sign-in state, the rows' words and the MASH's decisions. */
export const tabClientWords = [
  'tab-signed-out', 'tab-signed-in', 'tab-signed-in-as', 'tab-referral-count-one', 'tab-referral-count', 'tab-not-yet', 'tab-none-yet',
  'tab-load-failed', 'tab-status-queued', 'tab-status-delivered', 'tab-status-parked', 'tab-status-phone', 'mash-decision-nfa',
  'mash-decision-early-help', 'mash-decision-assessment', 'mash-decision-strategy-discussion', 'mash-decision-police',
  'tab-questions-waiting', 'tab-question-asked-by-mash', 'tab-question-asked-by-coordinator',
  'tab-answer-label', 'tab-answer-send', 'tab-answer-sent', 'tab-answer-empty', 'tab-answer-failed', 'tab-draft-continue-hint',
] as const satisfies readonly ServiceWordKey[];

/** The insight page (server/insights/client): its status lines, the chart labels and the table totals. */
export const insightsClientWords = [
  'insights-csv-failed', 'insights-forbidden', 'insights-teams-sign-in-failed', 'insights-figures-for', 'insights-load-failed',
  'insights-chart-label', 'insights-total',
] as const satisfies readonly ServiceWordKey[];
