import type { ContentPack } from '../../content/packSchema';
import type { EffectOf } from '../../effects';
import type { Effect, OutgoingMessage } from '../../protocol';
import type { ReferralBody } from '../../referral/contract';
import { londonTimeZone } from '../../advice/zonedTime';
import { words } from './referralWords';

/**
 * How a confirmed referral reaches the MASH (`REFERRALS`): `mash` queues it for the intake API;
 * `phone` is a partnership without one, where the professional phones it through.
 */
export type ReferralDelivery = 'mash' | 'phone';

export const referralDeliveries: readonly ReferralDelivery[] = ['mash', 'phone'];

export const phoneMessageKeys = ['ref-phone-filed', 'ref-phone-record'];

/** "02/03/2026, 10:00" in the partnership's time zone, from the answer's time (never the clock). */
function madeAt(pack: ContentPack, at: string): string {
  return new Intl.DateTimeFormat(pack.locale, { timeZone: londonTimeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(at));
}

/**
 * The result in phone mode: nothing is queued, so it says so and names the line open now with its
 * alternative (`{{call-now}}`, filled by the runtime for the moment it is sent) and the reference to quote.
 */
export function phoneFiledMessage(pack: ContentPack, clientReference: string): OutgoingMessage {
  return {
    text: words(pack, 'ref-phone-filed', { clientReference }),
    value: { type: 'safeguarding.referralFiled', clientReference, status: 'phone' },
  };
}

/**
 * The referral record to read from on the phone, print or copy: the summary the professional confirmed
 * (what they typed and chose, in plain words, nothing more), headed by the reference and when it was made.
 * It lives only in this conversation: the service keeps no copy of the child's details.
 */
export function phoneRecordMessage(pack: ContentPack, clientReference: string, at: string, review: string): OutgoingMessage {
  return {
    text: `${words(pack, 'ref-phone-record', { clientReference, when: madeAt(pack, at) })}\n${review}`,
    value: { type: 'safeguarding.referralRecord', clientReference, delivery: 'phone' },
  };
}

/**
 * The effects in phone mode: the referral is recorded (the "my referrals" entry with status `phone`, and
 * the audit record, marked `delivery: phone`) and nothing goes to the outbox. The `referral.phone`
 * payload holds references and codes only, never the child's details.
 */
export function phoneEffects(body: ReferralBody, effects: Effect[]): Effect[] {
  const { clientReference } = body;
  const recorded: EffectOf<'referral.phone'> = {
    kind: 'referral.phone',
    id: clientReference,
    payload: {
      clientReference,
      urgency: body.urgency,
      ...(body.screening ? { category: body.screening.category } : {}),
    },
  };
  const audited = effects.filter((e) => e.kind === 'audit.append').map((e) => ({ ...e, payload: { ...e.payload, delivery: 'phone' } }));
  return [recorded, ...audited];
}
