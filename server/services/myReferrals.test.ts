import { decisionOutcomes, decisionWords, loadDefaultPack, serviceWordsOf } from '../../flows';
import type { ReferralTracking } from '../../integrations';
import { myReferralsMessage } from './myReferrals';

const pack = loadDefaultPack();
const words = serviceWordsOf(pack);

const tracking = (clientReference: string, createdAt: string, extra: Partial<ReferralTracking> = {}): ReferralTracking => ({
  clientReference,
  ownerKey: 'owner',
  channelId: 'msteams',
  conversation: {},
  createdAt,
  status: 'queued',
  events: [],
  ...extra,
});

describe('"my referrals" in the pack\'s words', () => {
  it('has words for every decision the MASH contract allows, in each form it is shown', () => {
    const missing = decisionOutcomes.filter((outcome) => (['label', 'sentence', 'card'] as const).some((form) => !decisionWords(words, outcome, form)));
    expect(missing).toEqual([]);
  });

  it("lists each referral newest first with its status and the MASH's decision", () => {
    const decided = tracking('SG-2', '2026-03-02T10:00:00.000Z', {
      status: 'delivered',
      reference: 'MASH-2',
      events: [{ eventId: 'e1', type: 'referral.decision', occurredAt: '2026-03-02T11:00:00.000Z', decision: { outcome: 'nfa' } }],
    });
    const { text } = myReferralsMessage(pack, [tracking('SG-1', '2026-03-01T10:00:00.000Z'), decided]);
    expect(text.split('\n')).toEqual([
      pack.messages['my-referrals-header'].text,
      '- SG-2 (MASH MASH-2), filed 2026-03-02: received by the MASH; MASH decision: nfa; latest: decision',
      '- SG-1, filed 2026-03-01: queued for the MASH',
    ]);
  });
});
