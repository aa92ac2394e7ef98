import { proseLiterals, type ProseLiteral } from './support/proseLiterals';

/**
 * Issue 19 item 5: every word a professional reads is the content pack's, so the partnership reviews and
 * signs off all of it and a lead can change a word without a developer. The channel and server code ask
 * the pack (`flows/content/serviceWords.ts` lists the keys, `flows/content/gloucestershire/service.json`
 * holds the words). This scan reads bot/ and server/ for string literals with three words in a row and
 * fails on any that is not below with the reason it is not a professional's words. Shorter labels
 * ("Send", "Your answer") are not caught by a scan this simple: they are the pack's by the same rule.
 */
const notForProfessionals: Array<{ why: string; file?: RegExp; callee?: RegExp; text?: RegExp }> = [
  { callee: /(^|\.)(logger|log)\??\.(trace|debug|info|warn|error|fatal)$|^console\./, why: 'the log, read by operators' },
  { callee: /^(DomainError|Error|RangeError|TypeError)$/, why: 'an error for the log and the error catalogue, never shown as it is' },
  {
    callee: /^(sendProblem|sendDirectLineProblem)$/,
    why: "the detail of an HTTP problem document (RFC 9457) for the program that called the API; flows/errors.ts titles each code, and the pages and their scripts show the pack's words instead",
  },
  { file: /^server\/directline\/gate\.ts$/, text: /^The token (has expired|is not valid)/, why: 'a Direct Line problem detail, chosen before it is sent (as above)' },
  { callee: /^process\.std(out|err)\.write$/, why: "the operator's console when the service cannot start (before any pack is loaded)" },
  { file: /^server\/startBanner\.ts$/, why: "the start-up banner on the operator's console" },
  { file: /^server\/config\.ts$/, why: 'configuration errors for the operator, found before the pack is loaded' },
  { file: /^server\/tracing\/tracingSettings\.ts$/, why: 'OTEL_* configuration errors for the operator, found before the pack is loaded' },
  { callee: /^KeysUnavailable$/, why: 'why the channel signing keys could not be read: logged for the operator; the caller gets a 503 problem code' },
  { file: /^server\/createPersistence\.ts$/, text: /^Redis persistence/, why: 'a storage safety problem for the operator (logged, or refusing to start)' },
  { file: /^server\/cli\//, why: "the admin commands' terminal output, for the operator" },
  { file: /^server\/metrics\//, why: "Prometheus HELP texts, for the operator's dashboards" },
  {
    file: /^server\/referenceMash\//,
    why: "the stand-in for the MASH's own system (its staff's pages and API), not this service's words; it becomes an app of its own (issue 19 item 6)",
  },
  {
    file: /^server\/(activityEnvelope|directline\/activitySchemas)\.ts$/,
    why: 'validation messages of request bodies, returned to the calling program as problem details naming the field',
  },
  {
    file: /^server\/insights\/query\.ts$/,
    why: 'the rule a date range broke, named with its field ("from: must not be after to"): a problem detail of the API, and on the insight page inside the pack\'s "Check the dates: {detail}."',
  },
  { file: /^server\/directline\/streamEnded\.ts$/, text: /^replaced by a newer connection$/, why: 'a WebSocket close reason, read by the Direct Line client library' },
  { file: /^server\/webchat\/oidcSignIn\.ts$/, text: /^openid profile email$/, why: 'the OpenID Connect scopes asked for (protocol)' },
  {
    file: /^server\/services\/referralNotices\.ts$/,
    text: /follow-up job|did not take the notice/,
    why: "an outbox job's retry reason, kept with the job and logged for the operator",
  },
  { file: /^server\/coordinator\/boardEvents\.ts$/, text: /^event: board/, why: "a server-sent event frame (protocol), read by the board's script" },
  { file: /^server\/tabs\/client\/render\.ts$/, text: /^#list thead th$/, why: 'a CSS selector' },
  { text: /^\s*body \{ font-family/, why: 'a style sheet' },
  { text: /redis\.call\(/, why: 'a Redis Lua script' },
];

const allowed = (literal: ProseLiteral) => (rule: (typeof notForProfessionals)[number]) =>
  (!rule.file || rule.file.test(literal.file)) && (!rule.callee || rule.callee.test(literal.callee ?? '')) && (!rule.text || rule.text.test(literal.text));

describe('the channel and server code carry no words of their own (issue 19 item 5)', () => {
  const literals = proseLiterals(process.cwd(), ['bot', 'server']);

  it('finds the literals it looks for (the scan reaches bot/ and server/)', () => {
    expect(literals.some((l) => l.file.startsWith('bot/'))).toBe(true);
    expect(literals.some((l) => l.file === 'server/config.ts')).toBe(true);
  });

  it('has no sentence for a professional outside the pack', () => {
    const inCode = literals.filter((literal) => !notForProfessionals.some(allowed(literal))).map((l) => `${l.file}:${l.line}: "${l.text}"`);
    // Move each into the pack: the key in flows/content/serviceWords.ts, the words in
    // flows/content/gloucestershire/service.json, and ask for it with `words(key, values)`.
    expect(inCode).toEqual([]);
  });

  it('lists no exception that no longer matches anything', () => {
    const stale = notForProfessionals.filter((rule) => !literals.some((literal) => allowed(literal)(rule))).map((rule) => rule.why);
    expect(stale).toEqual([]);
  });
});
