import { multichoiceOf } from './multichoiceQuestion';

type Dispatch = (action: unknown) => unknown;
type Middleware = (store: { dispatch: Dispatch }) => (next: Dispatch) => (action: unknown) => unknown;

/** The part of an incoming activity this middleware reads; everything else passes through untouched. */
interface Activity {
  from?: { role?: string };
  type?: string;
  value?: unknown;
  suggestedActions?: { actions?: unknown[] };
}
interface IncomingAction {
  type: 'DIRECT_LINE/INCOMING_ACTIVITY';
  payload: { activity: Activity };
}

function incoming(action: unknown): IncomingAction | undefined {
  const a = action as { type?: unknown; payload?: { activity?: unknown } } | null;
  return a?.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && a.payload?.activity && typeof a.payload.activity === 'object' ? (action as IncomingAction) : undefined;
}

const isQuestion = (value: unknown) => (value as { type?: unknown } | undefined)?.type === 'safeguarding.question';

/**
 * Keeps a question's buttons until it is answered (issue 20 item 5). Web Chat shows suggested actions on
 * the last activity only, so a message the service sends by itself while a question waits ("reached the
 * MASH" under "What next?") used to take the buttons away; it now carries the waiting question's buttons,
 * which answer that same question (they are imBack titles). The professional's next message ends them.
 * A multiple-choice question loses its single-click buttons: its checkboxes (multichoiceForm.ts) send
 * every tick at once.
 */
export function pendingChoicesKeeper(): Middleware {
  let pending: Activity['suggestedActions'];
  return () => (next) => (action) => {
    const arrived = incoming(action);
    if (!arrived) return next(action);
    const { activity } = arrived.payload;
    if (activity.type !== 'message') return next(action);
    if (activity.from?.role !== 'bot') {
      pending = undefined;
      return next(action);
    }
    if (multichoiceOf(activity.value)) {
      pending = undefined;
      const withoutButtons: Activity = { ...activity };
      delete withoutButtons.suggestedActions;
      return next({ ...arrived, payload: { ...arrived.payload, activity: withoutButtons } });
    }
    if (activity.suggestedActions?.actions?.length) {
      pending = isQuestion(activity.value) ? activity.suggestedActions : undefined;
      return next(action);
    }
    if (!pending || isQuestion(activity.value)) {
      pending = undefined;
      return next(action);
    }
    return next({ ...arrived, payload: { ...arrived.payload, activity: { ...activity, suggestedActions: pending } } });
  };
}
