/**
 * The words the channel and server code say (issue 19 item 5): apologies when a turn fails, Teams card
 * controls and labels, the coordinators' card, board and channel replies, "my referrals", the MASH's
 * decisions in words, the text of the web chat, sign-in, tab and insight pages, and the notices the
 * service sends after a conversation. The code never carries words of its own: it asks the pack with one
 * of these keys, and the schema refuses a pack without every one of them (`packSchema.ts`).
 *
 * Plain constants and no imports, so the browser bundles (tab, web chat, insight page) can use the keys
 * and `fillWords` without pulling in zod or the pack.
 */
export const serviceWordKeys = [
  'turn-failed',
  'turn-not-saved',
  'personal-chat-only',
  'card-action-no-answer',
  'card-action-no-coordinators',
  'card-action-no-handoff',
  'card-action-unknown',
  'files-refused',
  'card-send',
  'card-none-of-these',
  'card-your-answer',
  'card-moved-on',
  'card-unusable',
  'card-pick-some',
  'card-pick-date',
  'card-type-text',
  'card-number-between',
  'card-number-at-least',
  'card-number-up-to',
  'card-number',
  'question-progress',
  'result-sharing-title',
  'result-screening-title',
  'result-label-decision',
  'result-label-reason',
  'result-label-lawful-basis',
  'result-label-share-with',
  'result-label-reference',
  'result-label-category',
  'result-label-why',
  'result-label-indicators',
  'result-indicators-none',
  'result-label-raised',
  'result-raised',
  'result-label-next-step',
  'result-label-urgency',
  'result-pathway-universal',
  'result-pathway-early-help',
  'result-pathway-mash-referral',
  'result-pathway-emergency',
  'result-pathway-adult-safeguarding',
  'result-pathway-lado',
  'result-urgency-routine',
  'result-urgency-same-day',
  'result-urgency-immediate',
  'result-advice-title',
  'result-advice-open',
  'result-advice-unknown',
  'result-advice-opens',
  'result-advice-closed',
  'result-opens-at',
  'result-emergency-title',
  'result-lado-title',
  'result-label-refer-to',
  'result-lado',
  'result-referral-title',
  'result-label-status',
  'result-label-mash-reference',
  'result-label-our-reference',
  'result-update-title',
  'result-label-update',
  'result-label-note',
  'result-decision-nfa',
  'result-decision-early-help',
  'result-decision-assessment',
  'result-decision-strategy-discussion',
  'result-decision-police',
  'mash-decision-nfa',
  'mash-decision-early-help',
  'mash-decision-assessment',
  'mash-decision-strategy-discussion',
  'mash-decision-police',
  'mash-decision-said-nfa',
  'mash-decision-said-early-help',
  'mash-decision-said-assessment',
  'mash-decision-said-strategy-discussion',
  'mash-decision-said-police',
  'my-referrals-line',
  'my-referrals-mash-reference',
  'my-referrals-progress',
  'my-referrals-decision',
  'my-referrals-status-queued',
  'my-referrals-status-delivered',
  'my-referrals-status-parked',
  'my-referrals-status-phone',
  'my-referrals-drafts-header',
  'my-referrals-draft-line',
  'draft-continue',
  'draft-none',
  'tab-drafts-heading',
  'tab-draft-continue-hint',
  'tab-kept-download',
  'tab-kept-failed',
  'tab-questions-heading',
  'tab-questions-waiting',
  'tab-question-asked-by-mash',
  'tab-question-asked-by-coordinator',
  'tab-answer-label',
  'tab-answer-send',
  'tab-answer-sent',
  'tab-answer-empty',
  'tab-answer-failed',
  'handoff-heading',
  'handoff-card-summary',
  'handoff-card-fallback',
  'handoff-overdue-immediate',
  'handoff-overdue-same-day',
  'handoff-status-open',
  'handoff-status-claimed',
  'handoff-status-closed',
  'handoff-label-status',
  'handoff-label-urgency',
  'handoff-label-category',
  'handoff-label-why',
  'handoff-label-opened',
  'handoff-label-referrer',
  'handoff-kind-talk-to-coordinator',
  'handoff-kind-parked-referral',
  'handoff-kind-unacknowledged-referral',
  'handoff-kind-store-reset',
  'handoff-kind-mash-credentials',
  'handoff-coordinator-asked',
  'handoff-coordinator-by-asked',
  'handoff-referrer-answered',
  'handoff-exchange-line',
  'handoff-question-label',
  'handoff-question-missing',
  'handoff-claim',
  'handoff-ask',
  'handoff-close',
  'handoff-coordinators-only',
  'handoff-ask-empty',
  'handoff-another-coordinator',
  'handoff-taken',
  'handoff-not-yours',
  'handoff-is-closed',
  'handoff-not-found',
  'channel-not-coordinators',
  'channel-commands',
  'channel-queue-empty',
  'channel-queue-line',
  'channel-queue-category',
  'channel-queue-overdue',
  'handoff-summary-parked',
  'handoff-summary-parked-version',
  'handoff-summary-not-acknowledged',
  'handoff-summary-arrived-late',
  'handoff-summary-unknown',
  'handoff-summary-parked-untracked',
  'referral-parked-unreachable',
  'referral-parked-refused',
  'board-title',
  'board-heading',
  'board-emergency',
  'board-count-one',
  'board-count',
  'board-overdue-immediate',
  'board-overdue-same-day',
  'board-exchange-heading',
  'board-claim',
  'board-close',
  'board-another-coordinator',
  'board-notice-claimed',
  'board-notice-asked',
  'board-notice-closed',
  'board-notice-taken',
  'board-notice-not-yours',
  'board-notice-is-closed',
  'board-notice-not-found',
  'board-notice-question-empty',
  'board-notice-question-long',
  'board-question-required',
  'board-question-too-long',
  'board-label-role',
  'board-label-organisation',
  'board-label-phone',
  'board-not-given',
  'board-updated',
  'forbidden-title',
  'forbidden-body',
  'forbidden-who-to-ask',
  'forbidden-back',
  'not-found-title',
  'not-found-body',
  'not-found-home',
  'referral-outcome-queued',
  'referral-outcome-phone',
  'referral-outcome-delivered',
  'referral-outcome-parked',
  'referral-outcome-acknowledged',
  'referral-outcome-decision',
  'referral-outcome-info-requested',
  'referral-outcome-not-acknowledged',
  'referral-outcome-update',
  'chat-referral-card',
  'chat-referral-details',
  'role-coordinator',
  'role-partnership-lead',
  'role-admin',
  'page-not-for-emergencies',
  'page-heading',
  'page-notice-title',
  'page-heading-short',
  'footer-accessibility',
  'a11y-title',
  'a11y-intro',
  'a11y-can',
  'a11y-compliance',
  'a11y-known-issues',
  'a11y-feedback',
  'a11y-enforcement',
  'a11y-prepared',
  'signin-title',
  'signin-heading',
  'signin-local-mode',
  'signin-local-warning',
  'signin-problem',
  'signin-field-name',
  'signin-field-role',
  'signin-field-organisation',
  'signin-field-email',
  'signin-act-as',
  'signin-act-as-coordinator',
  'signin-act-as-lead',
  'signin-button',
  'signin-missing-name',
  'signin-missing-role',
  'signin-missing-organisation',
  'signin-missing-email',
  'signin-too-long',
  'signin-email-format',
  'signin-retry',
  'signin-unavailable-heading',
  'signin-unavailable',
  'signin-expired-heading',
  'signin-expired',
  'signin-refused-heading',
  'signin-refused',
  'signin-no-details',
  'signin-unchecked-heading',
  'signin-unchecked',
  'signed-in-title',
  'signed-in-heading',
  'signed-in-continue',
  'chat-title',
  'chat-sign-out',
  'chat-region',
  'chat-needs-javascript',
  'chat-placeholder',
  'chat-failed',
  'chat-screening-result',
  'chat-sharing-decision',
  'chat-kept-for',
  'chat-kept-for-one-hour',
  'chat-stream-replaced',
  'chat-stream-continue',
  'chat-stream-signed-out',
  'chat-stream-sign-in',
  'chat-stream-ended',
  'chat-stream-start-new',
  'chat-pick-signs',
  'chat-none-with-signs',
  'chat-answer-sent',
  'chat-result-outcome',
  'chat-result-do-now',
  'chat-result-why',
  'chat-record-copy',
  'chat-record-download',
  'chat-record-print',
  'chat-record-copied',
  'chat-record-copy-failed',
  'chat-record-title',
  'chat-record-note',
  'chat-record-made',
  'tab-title',
  'tab-loading',
  'tab-notifications-heading',
  'tab-caption',
  'tab-column-reference',
  'tab-column-mash-reference',
  'tab-column-filed',
  'tab-column-channel',
  'tab-column-status',
  'tab-column-decision',
  'tab-column-latest',
  'tab-empty',
  'tab-sign-in',
  'tab-signed-out',
  'tab-signed-in',
  'tab-signed-in-as',
  'tab-referral-count-one',
  'tab-referral-count',
  'tab-not-yet',
  'tab-none-yet',
  'tab-load-failed',
  'tab-status-queued',
  'tab-status-delivered',
  'tab-status-parked',
  'tab-status-phone',
  'insights-heading',
  'insights-title',
  'insights-error-title',
  'insights-intro',
  'insights-from',
  'insights-to',
  'insights-show',
  'insights-download',
  'insights-loading',
  'insights-open-in-browser',
  'insights-check-dates',
  'insights-csv-failed',
  'insights-forbidden',
  'insights-teams-sign-in-failed',
  'insights-figures-for',
  'insights-load-failed',
  'insights-chart-label',
  'insights-total',
  // Notices sent after the conversation and the alerts for coordinators (notifications.json, core.json,
  // referral.json): the server sends them by key, so a pack without one would show the key.
  'handoff-claimed',
  'handoff-question',
  'handoff-reply-sent',
  'handoff-closed',
  'referral-delivered',
  'referral-delivered-late',
  'referral-delivered-kept',
  'referral-parked',
  'referral-parked-version',
  'referral-not-acknowledged',
  'referral-acknowledged',
  'referral-decision',
  'referral-info-requested',
  'my-referrals-none',
  'my-referrals-header',
  'my-referrals-kept',
  'my-referrals-kept-line',
  'mash-answer-sent',
  'store-reset-alert',
  'mash-credentials-alert',
  'ref-filed-not-queued',
  'message-too-long',
] as const;

export type ServiceWordKey = (typeof serviceWordKeys)[number];

/**
 * Words said when something went wrong, or on a page a professional may open in a hurry: each must keep
 * its 999 line (guidance rules R1.1), so a pack that drops it does not load. (`unreadable-restart` is the
 * runtime's apology, checked whenever a pack has it.)
 */
export const emergencyLineKeys: readonly string[] = ['turn-failed', 'turn-not-saved', 'unreadable-restart', 'signin-unavailable', 'page-not-for-emergencies', 'board-emergency'];

/** What fills a text's `{name}` placeholders. */
export type WordValues = Record<string, string | number>;

/** The pack's words for a key, placeholders filled. */
export type ServiceWords = (key: ServiceWordKey, values?: WordValues) => string;

/** Fills `{name}` placeholders; an unknown one stays visible (never blank), and `{{call-now}}` tokens are left for the call filler. */
export function fillWords(text: string, values: WordValues = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

/** The service's words from a validated pack (every key is there: the schema checked it at load). */
export function serviceWordsOf(pack: { messages: Record<string, { text: string }> }): ServiceWords {
  return (key, values) => fillWords(pack.messages[key].text, values);
}

/**
 * The words a page's script needs, as a map it can carry: the server puts them in the page (a JSON data
 * block), so a script shows the pack's words even when its API call fails.
 */
export function wordsFor(words: ServiceWords, keys: readonly ServiceWordKey[], values?: WordValues): Partial<Record<ServiceWordKey, string>> {
  return Object.fromEntries(keys.map((key) => [key, words(key, values)]));
}

const known = new Set<string>(serviceWordKeys);

/** Whether a key built from a value (`mash-decision-${outcome}`) is one of the service's words. */
export function isServiceWordKey(key: string): key is ServiceWordKey {
  return known.has(key);
}

/**
 * A MASH decision in the pack's words: as a label ("Social work assessment", the tab), inside a sentence
 * ("a social work assessment", the decision notice) or on the Teams card ("Assessment"). Undefined for an
 * outcome the pack has no words for, so the caller shows its code.
 */
export function decisionWords(words: ServiceWords, outcome: string, form: 'label' | 'sentence' | 'card' = 'label'): string | undefined {
  const key = { label: `mash-decision-${outcome}`, sentence: `mash-decision-said-${outcome}`, card: `result-decision-${outcome}` }[form];
  return isServiceWordKey(key) ? words(key) : undefined;
}

/**
 * A referral notice's outcome in one line (issue 20 item 5: "Referral filed", "The MASH has decided"):
 * the key for a `safeguarding.referralFiled` status or a `safeguarding.referralUpdate` event, so the web
 * chat card and the Teams card say the same plain words, never the protocol's codes.
 */
export function referralOutcome(words: ServiceWords, value: { type?: unknown; status?: unknown; event?: unknown; decision?: unknown }): string | undefined {
  const stage = value.type === 'safeguarding.referralFiled' ? value.status : value.type === 'safeguarding.referralUpdate' ? value.event : undefined;
  if (typeof stage !== 'string') return value.type === 'safeguarding.referralUpdate' ? words('referral-outcome-update') : undefined;
  const key = `referral-outcome-${stage.replace(/^referral\./, '')}`;
  if (!isServiceWordKey(key)) return words('referral-outcome-update');
  const outcome = (value.decision as { outcome?: unknown } | undefined)?.outcome;
  const decided = typeof outcome === 'string' ? (decisionWords(words, outcome, 'sentence') ?? outcome) : '';
  return words(key, { outcome: decided });
}

/** Who said a line of a coordinator's exchange ("Coordinator (Sam) asked", "Referrer answered"): the Teams card and the board say the same. */
export function exchangeSpeaker(words: ServiceWords, message: { from: string; by?: string }): string {
  if (message.from !== 'coordinator') return words('handoff-referrer-answered');
  return message.by ? words('handoff-coordinator-by-asked', { by: message.by }) : words('handoff-coordinator-asked');
}
