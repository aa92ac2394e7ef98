import { z } from 'zod';

/**
 * The bot's activities as tests read them off the wire (the fake connector, a Direct Line page or socket,
 * an invoke's answer): the fields tests look at, typed; everything else kept and `unknown`. An activity is
 * only checked to be an object: what it says is what each test's expectations check.
 */

/** `value` of a bot message: the conversation protocol's question, result, filed referral, handoff… */
export interface ActivityValue {
  type?: string;
  id?: string;
  status?: string;
  clientReference?: string;
  screeningId?: string;
  turnId?: number;
  choices?: Array<{ value: string; title: string }>;
  [field: string]: unknown;
}

/** One element of an Adaptive Card body (TextBlock, FactSet, ActionSet, Input.*, Container…). */
export interface CardElement {
  type: string;
  id?: string;
  text?: string;
  facts?: Array<{ title: string; value: string }>;
  actions?: CardActionJson[];
  choices?: Array<{ title: string; value: string }>;
  items?: CardElement[];
  inlines?: Array<{ type: string; text: string }>;
  [field: string]: unknown;
}

/** An action of a card: `Action.Execute` buttons carry their answer (or handoff) in `data`. */
export interface CardActionJson {
  type: string;
  title: string;
  verb?: string;
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

/** An Adaptive Card as sent. */
export interface CardJson {
  type?: string;
  version?: string;
  body: CardElement[];
  actions?: CardActionJson[];
  [field: string]: unknown;
}

/** An activity the bot sent. */
export interface SentActivity {
  type?: string;
  id?: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  replyToId?: string;
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  value?: ActivityValue;
  suggestedActions?: { actions: Array<{ type: string; title: string; value: string }> };
  attachments?: Array<{ contentType: string; content: CardJson }>;
  channelData?: Record<string, unknown>;
  entities?: unknown[];
  [field: string]: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An Adaptive Card: a JSON object with a body (its elements are what each test checks). */
export const cardJson = z.custom<CardJson>((value) => isObject(value) && Array.isArray(value.body), 'an Adaptive Card (an object with a body)');

/** An activity: any JSON object (see above). */
export const sentActivity = z.custom<SentActivity>(isObject, 'an activity (a JSON object)');

/** A Direct Line activity set (`GET …/activities`, a stream frame). */
export const activitySet = z.looseObject({ activities: z.array(sentActivity), watermark: z.string().optional() });
