import { Activity } from '@microsoft/agents-activity';

/** An activity the bot builds to send: plain JSON, the fields it sets. */
export type OutgoingActivity = Partial<Activity> & { type: string };

/** Payloads the protocol leaves to the sender: passed on exactly as they came. */
const opaque = new Set(['text', 'value', 'channelData', 'attachments', 'entities', 'suggestedActions']);

/**
 * The activity without empty-string or null fields outside the payloads. Channels send them (Web Chat and
 * Direct Line a conversation `name: ''`, some clients `locale: null`) and botbuilder took them; the Agents
 * SDK's schema refuses an empty id, name or locale and a null account, which would turn an ordinary
 * activity into an error. Empty means absent.
 */
function withoutEmptyStrings(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutEmptyStrings(v, false));
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  // One pass with no array per field (it runs on every activity in and every reply out). Still built by
  // fromEntries: assigning a channel's `__proto__` key to a plain object would set its prototype.
  const kept: Array<[string, unknown]> = [];
  for (const [key, v] of Object.entries(value)) {
    if (top && opaque.has(key)) kept.push([key, v]);
    else if (v !== '' && v !== null) kept.push([key, withoutEmptyStrings(v, false)]);
  }
  return Object.fromEntries(kept);
}

/**
 * The SDK's Activity for one the bot built or a channel sent. The SDK validates it with its own schema (as
 * it does again on send), so a malformed card or action fails here, in our code, not in the channel.
 */
export function toActivity(activity: OutgoingActivity | Record<string, unknown>): Activity {
  return Activity.fromObject(withoutEmptyStrings(activity) as object);
}

/**
 * An activity the bot built, as the SDK's `sendActivity`, `sendActivities` and `updateActivity` take it: the
 * plain object, empty strings dropped. Those calls validate it with the SDK's own schema
 * (`Activity.fromObject` in turnContext.js) before anything is sent, so a malformed card still fails in the
 * turn that built it; validating it here as well doubled that zod work for every reply (issue 23). The SDK's
 * signature names its `Activity` class while its first step accepts any object of that shape, hence the cast.
 */
export function forSending(activity: OutgoingActivity | Record<string, unknown>): Activity {
  return withoutEmptyStrings(activity) as Activity;
}

/** A request body as the SDK's adapter should read it: the same activity, empty strings dropped. */
export function channelActivityBody(body: unknown): Record<string, unknown> {
  return withoutEmptyStrings(body) as Record<string, unknown>;
}
