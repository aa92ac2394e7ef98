import { streamEndedEventName, streamEndReasons, type StreamEndReason } from '../../directline/streamEndedEvent';
import type { ChatWords } from './chatWords';

export type { StreamEndReason } from '../../directline/streamEndedEvent';

interface StoreAction {
  type?: unknown;
  payload?: { activity?: { type?: unknown; name?: unknown; value?: { reason?: unknown } } };
}

/** The reason in an incoming "stream ended" event, or undefined for any other action. */
export function streamEndReasonOf(action: unknown): StreamEndReason | undefined {
  const { type, payload } = (action ?? {}) as StoreAction;
  const activity = payload?.activity;
  if (type !== 'DIRECT_LINE/INCOMING_ACTIVITY' || activity?.type !== 'event' || activity.name !== streamEndedEventName) return undefined;
  const reason = activity.value?.reason;
  return streamEndReasons.find((known) => known === reason);
}

type Dispatch = (action: { type: string }) => unknown;
type Middleware = (store: { dispatch: Dispatch }) => (next: Dispatch) => (action: { type: string }) => unknown;

/**
 * A Web Chat store middleware: when the service ends this page's stream, Web Chat's connection is ended
 * at once (the client library would otherwise reconnect by itself after a few seconds and take the
 * stream back, and two pages would take it from each other for ever) and the page is told why.
 */
export function streamEndWatcher(onEnded: (reason: StreamEndReason) => void): Middleware {
  return ({ dispatch }) =>
    (next) =>
    (action) => {
      const result = next(action);
      const reason = streamEndReasonOf(action);
      // After this dispatch has run its course (it comes from one of Web Chat's sagas), not inside it.
      if (reason) {
        setTimeout(() => {
          dispatch({ type: 'DIRECT_LINE/DISCONNECT' });
          onEnded(reason);
        }, 0);
      }
      return result;
    };
}

const noticeWords: Record<StreamEndReason, { text: Parameters<ChatWords>[0]; button: Parameters<ChatWords>[0] }> = {
  replaced: { text: 'chat-stream-replaced', button: 'chat-stream-continue' },
  'signed-out': { text: 'chat-stream-signed-out', button: 'chat-stream-sign-in' },
  'conversation-ended': { text: 'chat-stream-ended', button: 'chat-stream-start-new' },
};

/**
 * Shows why this page no longer receives, in `#sg-stream`, with the one way on: take the conversation
 * back ("Continue here"), start a new one, or sign in again. An alert, so it is read out, and the button
 * takes focus, ready for whoever comes back to this window.
 */
export function showStreamNotice(container: HTMLElement, reason: StreamEndReason, say: ChatWords, onAction: () => void): void {
  const notice = document.createElement('div');
  notice.className = 'stream-notice';
  notice.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = say(noticeWords[reason].text);
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = say(noticeWords[reason].button);
  button.addEventListener('click', () => {
    button.disabled = true;
    onAction();
  });
  notice.append(text, button);
  container.replaceChildren(notice);
  button.focus();
}

/** Removes the notice once the page receives again. */
export function clearStreamNotice(container: HTMLElement): void {
  container.replaceChildren();
}
