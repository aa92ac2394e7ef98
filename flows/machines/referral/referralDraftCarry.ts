import type { ScreeningSummary } from '../../screening/outcome';
import type { AnswerValue } from '../../vocabulary/answers';
import type { TriageSummary } from '../../vocabulary/triage';
import type { ConsentCarry } from '../sharing/sharingDecision';

/**
 * An unfinished referral as it is kept between conversations (issue 20 item 2): the answers so far and
 * what the referral was started from (the triage, the screening, the sharing decision's consent). It is
 * never filed by itself: resumed, it goes on at the next unanswered question and still ends at the
 * confirmation the professional must choose to send.
 */
export interface ReferralDraftCarry {
  draftId: string;
  answers: Record<string, AnswerValue>;
  screening?: ScreeningSummary;
  triage?: TriageSummary;
  consent?: ConsentCarry;
  /**
   * Set when this is a brother or sister of a referral just filed (issue 21 item 5): the household, the
   * referrer and the family's answers are carried in, and it starts as a new draft of its own.
   */
  siblingOf?: string;
}
