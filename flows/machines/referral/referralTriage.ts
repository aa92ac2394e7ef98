import type { ContentPack } from '../../content/packSchema';
import type { OutgoingMessage } from '../../protocol';
import type { TriageSummary } from '../../vocabulary/triage';
import type { ReferralDraft } from './referralBody';
import { reviewText } from './referralText';
import { words } from './referralWords';

const urgencyWords = (pack: ContentPack, triage: TriageSummary) => pack.referral!.urgencies[triage.urgency];

/** The opening of a referral from a route (no screening): at immediate urgency the phone call comes first. */
export function triageIntro(pack: ContentPack, triage: TriageSummary): OutgoingMessage {
  const key = triage.urgency === 'immediate' ? 'ref-intro-triage-immediate' : 'ref-intro-triage';
  return { text: words(pack, key, { urgency: urgencyWords(pack, triage) }) };
}

/**
 * The summary to check for a referral without a screening: the kind the professional chose (never a
 * category the triage did not give) and the urgency, in place of the screening's line.
 */
export function triageReview(pack: ContentPack, draft: ReferralDraft, triage: TriageSummary): string {
  const kind = pack.questions['concern-kind']?.choices?.find((c) => c.value === triage.kind)?.title ?? triage.kind;
  const labels = pack.referral!.labels;
  const screeningLabel = `- ${labels.screening}: `;
  const kindLabel = `- ${labels['concern-categories']}: `;
  const urgency = `- ${labels.urgency ?? labels.screening}: ${urgencyWords(pack, triage)}`;
  return reviewText(pack, draft)
    .split('\n')
    .map((line) => (line.startsWith(screeningLabel) ? urgency : line.startsWith(kindLabel) ? `${kindLabel}${kind}` : line))
    .join('\n');
}
