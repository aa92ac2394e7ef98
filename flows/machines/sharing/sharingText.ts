import { choicesOf } from '../../answers';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { OutgoingMessage } from '../../protocol';
import { lawfulBasisMessageKey, lawfulBasisMessageKeys } from './lawfulBasis';
import { sharingOutcomes, sharingQuestions, sharingReasons, type SharingDecision, type SharingOutcome } from './sharingDecision';

/** Why a decision was reached when no without-consent reason applies; chosen from the answers. */
function whyKey(decision: SharingDecision): string {
  if (decision.reason) return `share-reason-${decision.reason}`;
  const answers = decision.answers;
  const byOutcome: Record<SharingOutcome, string> = {
    share: answers[sharingQuestions.identifies] === 'no' ? 'share-why-not-identifying' : 'share-why-consent',
    'share-without-consent': 'share-reason-risk-of-harm',
    'seek-consent': 'share-why-consent-possible',
    'do-not-share': answers[sharingQuestions.purpose] === 'no' ? 'share-why-no-purpose' : 'share-why-refusal-respected',
    'seek-advice': 'share-why-unsure',
    emergency: 'share-why-danger',
  };
  return byOutcome[decision.outcome];
}

/** Telling the family is itself the risk when the professional said it could raise it or tip off a suspect. */
function tellKey(decision: SharingDecision): string {
  return decision.tellFamily === 'not-now' ? 'share-tell-not' : 'share-tell';
}

/**
 * The lawful-basis paragraphs: the basis to record (or "not applicable" when nothing identifies anyone),
 * what the Art 9 and Art 10 conditions cover, the appropriate policy document (R3.5), and for a public
 * body the CWSA 2026 duty to check (R3.7). Agreement is never the basis (R2.2).
 */
function basisKeys(decision: SharingDecision): string[] {
  if (decision.lawfulBasis === undefined) return [];
  if (decision.lawfulBasisCodes.length === 0) return ['share-lawful-basis'];
  const lead = decision.outcome === 'seek-consent' ? 'share-lawful-basis-seek-consent' : 'share-lawful-basis';
  const agreed = decision.outcome === 'share' ? ['share-basis-agreement'] : [];
  const cwsa = decision.orgKind === 'public-body' ? ['share-basis-cwsa'] : [];
  return [lead, 'share-basis-conditions', ...agreed, 'share-basis-policy', ...cwsa];
}

function bodyKeys(decision: SharingDecision): string[] {
  switch (decision.outcome) {
    case 'share':
      return ['share-what', 'share-how', ...(decision.tellFamily ? [tellKey(decision)] : []), ...basisKeys(decision)];
    case 'share-without-consent':
      return ['share-what', 'share-how', tellKey(decision), ...basisKeys(decision)];
    case 'seek-consent':
      return ['share-seek-consent-how', ...basisKeys(decision)];
    case 'do-not-share':
      // Nothing was refused when the concern was not a safeguarding one, so there is no refusal to respect.
      return decision.answers[sharingQuestions.purpose] === 'no' ? [] : ['share-do-not-share-next'];
    case 'seek-advice':
      return ['share-seek-advice-how'];
    case 'emergency':
      return ['share-emergency-how', ...basisKeys(decision)];
  }
}

const fixedKeys = [
  'share-intro',
  'share-emergency-now',
  'share-tell',
  'share-tell-not',
  'share-what',
  'share-how',
  'share-lawful-basis',
  'share-lawful-basis-seek-consent',
  'share-basis-conditions',
  'share-basis-agreement',
  'share-basis-policy',
  'share-basis-cwsa',
  'share-basis-nothing-shared',
  'share-seek-consent-how',
  'share-do-not-share-next',
  'share-seek-advice-how',
  'share-emergency-how',
  'share-rules-heading',
  'share-sources-heading',
  'share-record-reminder',
  'share-label-none',
  'share-label-tell-yes',
  'share-label-tell-not-now',
  'share-record-template',
  'share-why-not-identifying',
  'share-why-consent',
  'share-why-consent-possible',
  'share-why-refusal-respected',
  'share-why-no-purpose',
  'share-why-unsure',
  'share-why-danger',
];

/** The questions this flow asks (share-significant-harm is kept in the pack but no longer asked). */
const askedQuestions = Object.values(sharingQuestions).filter((id) => id !== sharingQuestions.harm);

/** Every pack word this flow can use, so a pack missing one stops start-up instead of a conversation. */
function sharingMessageKeys(): string[] {
  return [
    ...fixedKeys,
    ...lawfulBasisMessageKeys(),
    ...sharingOutcomes.flatMap((o) => [`share-outcome-${o}`, `share-label-${o}`]),
    ...sharingReasons.map((r) => `share-reason-${r}`),
  ];
}

/** A source that has been replaced must not reach a professional (2018 guidance, say). */
function supersededCitation(pack: ContentPack): string | undefined {
  const cited: Array<[string, string | undefined]> = [
    ...sharingMessageKeys().map((key): [string, string | undefined] => [`message "${key}"`, pack.messages[key]?.source]),
    ...askedQuestions.map((id): [string, string | undefined] => [`question "${id}"`, pack.questions[id]?.source]),
    ...Object.entries(pack.rules).map(([id, rule]): [string, string | undefined] => [`rule "${id}"`, rule.source]),
  ];
  const stale = cited.find(([, source]) => source !== undefined && pack.sources[source]?.supersededBy !== undefined);
  return stale && `${stale[0]} cites ${stale[1]}, replaced by ${pack.sources[stale[1]!].supersededBy}`;
}

/**
 * Checks at start-up that every word the flow uses is in the pack, that every outcome has a rule behind
 * it, and that nothing it shows cites a replaced source: guidance that cannot be checked is worse than none.
 */
export function checkSharingPack(pack: ContentPack): void {
  const missing = sharingMessageKeys().find((key) => !pack.messages[key]);
  if (missing) throw new DomainError('SG-CONTENT-INVALID', `message "${missing}" is needed by the sharing flow`);
  const unasked = askedQuestions.find((id) => !pack.questions[id]);
  if (unasked) throw new DomainError('SG-CONTENT-INVALID', `question "${unasked}" is needed by the sharing flow`);
  // A decision with no rule behind it could not say which golden rules apply.
  const bare = sharingOutcomes.find((o) => !Object.values(pack.rules).some((rule) => rule.appliesTo.includes(o)));
  if (bare) throw new DomainError('SG-CONTENT-INVALID', `no rule in pack ${pack.id} applies to sharing outcome "${bare}"`);
  const stale = supersededCitation(pack);
  if (stale) throw new DomainError('SG-CONTENT-INVALID', `the sharing flow would show guidance that has been replaced: ${stale}`);
}

function text(pack: ContentPack, key: string, vars: Record<string, string> = {}): string {
  const message = pack.messages[key];
  if (!message) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is not in pack ${pack.id}`);
  return message.text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

function recipientTitle(pack: ContentPack, decision: SharingDecision): string | undefined {
  const question = pack.questions[sharingQuestions.recipient];
  return question && choicesOf(question).find((c) => c.value === decision.recipient)?.title;
}

/** "The police" → "the police" inside a sentence; "MASH" keeps its capitals. */
function inSentence(title: string): string {
  return /^[A-Z][a-z]/.test(title) ? title[0].toLowerCase() + title.slice(1) : title;
}

function sourceLabel(pack: ContentPack, id: string): string {
  const source = pack.sources[id];
  return source ? `${source.title} (${source.publisher}, ${source.date.slice(0, 4)})` : id;
}

function rulesSection(pack: ContentPack, decision: SharingDecision): string {
  const lines = decision.rules.map((id) => {
    const rule = pack.rules[id];
    const source = pack.sources[rule.source];
    return `- ${rule.title} (${source ? `${source.publisher}, ${source.date.slice(0, 4)}` : rule.source})`;
  });
  return [text(pack, 'share-rules-heading'), ...lines].join('\n');
}

/**
 * The advice after a decision, in plain English from pack words: the decision and why, what to share,
 * how, whether to tell the family, the lawful basis, the golden rules, and the reminder to record it.
 * The sources used are listed last so a safeguarding lead can check them.
 */
export function resultMessage(pack: ContentPack, decision: SharingDecision): OutgoingMessage {
  const title = recipientTitle(pack, decision);
  const vars = { recipient: title ? inSentence(title) : text(pack, 'share-label-none'), basis: decision.lawfulBasis ?? '' };
  const keys = [`share-outcome-${decision.outcome}`, whyKey(decision), ...bodyKeys(decision)];
  const basisSources = decision.lawfulBasisCodes.map((code) => pack.messages[lawfulBasisMessageKey(code)]?.source);
  const sources = new Set(
    [...keys, 'share-record-reminder']
      .map((k) => pack.messages[k]?.source)
      .concat(
        basisSources,
        decision.rules.map((id) => pack.rules[id].source),
      ),
  );
  const sourceLines = [...sources].filter((s): s is string => Boolean(s)).map((s) => sourceLabel(pack, s));
  const parts = [
    ...keys.map((key) => text(pack, key, vars)),
    rulesSection(pack, decision),
    text(pack, 'share-record-reminder'),
    `${text(pack, 'share-sources-heading')} ${sourceLines.join('; ')}.`,
  ];
  return { text: parts.join('\n\n'), value: { ...decision } };
}

/** The answers as the professional saw them: each question and the title of the choice picked. */
function answerLines(pack: ContentPack, decision: SharingDecision): string {
  return Object.entries(decision.answers)
    .map(([id, value]) => {
      const question = pack.questions[id];
      const title = question ? choicesOf(question).find((c) => c.value === value)?.title : undefined;
      return `- ${question?.text ?? id} ${title ?? String(value)}`;
    })
    .join('\n');
}

function orgKindTitle(pack: ContentPack, decision: SharingDecision): string | undefined {
  const question = pack.questions[sharingQuestions.orgKind];
  return question && choicesOf(question).find((c) => c.value === decision.orgKind)?.title;
}

/** The decision as plain text a professional can paste into their own case system ("my record"). */
export function recordMessage(pack: ContentPack, decision: SharingDecision): OutgoingMessage {
  const none = text(pack, 'share-label-none');
  const vars = {
    decisionId: decision.decisionId,
    recordedAt: decision.recordedAt ?? none,
    outcome: text(pack, `share-label-${decision.outcome}`),
    why: text(pack, whyKey(decision), { recipient: none }),
    orgKind: orgKindTitle(pack, decision) ?? none,
    lawfulBasis: decision.lawfulBasis ?? text(pack, 'share-basis-nothing-shared'),
    tellFamily: decision.tellFamily ? text(pack, `share-label-tell-${decision.tellFamily}`) : none,
    recipient: recipientTitle(pack, decision) ?? none,
    answers: answerLines(pack, decision),
    rules: decision.rules.map((id) => pack.rules[id].title).join('; ') || none,
    contentVersion: `${pack.title}, version ${pack.version}`,
  };
  return {
    text: text(pack, 'share-record-template', vars),
    card: {
      title: 'Information-sharing decision record',
      facts: [
        { title: 'Decision ID', value: vars.decisionId },
        { title: 'Recorded', value: vars.recordedAt },
        { title: 'Decision', value: vars.outcome },
        { title: 'Share with', value: vars.recipient },
        { title: 'Organisation', value: vars.orgKind },
        { title: 'Lawful basis', value: vars.lawfulBasis },
        { title: 'Telling the family', value: vars.tellFamily },
        { title: 'Guidance version', value: vars.contentVersion },
      ],
    },
  };
}
