import type { ServiceWordKey } from '../flows/content/serviceWords';

// The pack's words each browser script shows, by key. The server puts exactly these in its page
// (`wordsElement`, server/webchat/pages.ts) and the script reads them (`pageWords`,
// server/tabs/client/pageWords.ts), typed to this list. A plain file with a type-only import, so the
// bundles take it without the server or the pack.

/** The web chat page (server/webchat/client): its placeholder, its failure, the result blocks and why a stream ended. */
export const chatClientWords = [
  'chat-placeholder', 'chat-failed', 'chat-screening-result', 'chat-screening-category', 'chat-label-pathway', 'result-label-urgency',
  'result-label-why', 'chat-reasons', 'chat-sharing-decision', 'chat-sharing-outcome', 'chat-sharing-recorded', 'result-label-reason',
  'result-label-lawful-basis', 'result-label-share-with', 'chat-label-decision-id', 'chat-basis-uk-gdpr', 'chat-basis-dpa',
  'chat-stream-replaced', 'chat-stream-continue', 'chat-stream-signed-out', 'chat-stream-sign-in', 'chat-stream-ended', 'chat-stream-start-new',
] as const satisfies readonly ServiceWordKey[];

/** The "My referrals" tab (server/tabs/client): sign-in state, the rows' words and the MASH's decisions. */
export const tabClientWords = [
  'tab-signed-out', 'tab-signed-in', 'tab-signed-in-as', 'tab-referral-count-one', 'tab-referral-count', 'tab-not-yet', 'tab-none-yet',
  'tab-load-failed', 'tab-status-queued', 'tab-status-delivered', 'tab-status-parked', 'tab-status-phone', 'mash-decision-nfa',
  'mash-decision-early-help', 'mash-decision-assessment', 'mash-decision-strategy-discussion', 'mash-decision-police',
] as const satisfies readonly ServiceWordKey[];

/** The insight page (server/insights/client): its status lines, the chart labels and the table totals. */
export const insightsClientWords = [
  'insights-csv-failed', 'insights-forbidden', 'insights-teams-sign-in-failed', 'insights-figures-for', 'insights-load-failed',
  'insights-chart-label', 'insights-total',
] as const satisfies readonly ServiceWordKey[];
