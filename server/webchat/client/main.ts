import { createElement as h, Fragment } from 'react';
import { createDirectLine, createStore, renderWebChat } from 'botframework-webchat';
import { pageWords } from '../../tabs/client/pageWords';
import { chatClientWords } from '../../clientWords';
import { MultichoiceForm } from './multichoiceForm';
import { multichoiceOf } from './multichoiceQuestion';
import { pendingChoicesKeeper } from './pendingChoices';
import { progressOf } from './questionProgress';
import { resultBlock } from './resultBlock';
import { SectionForm } from './sectionForm';
import { sectionFormOf } from './sectionFormQuestion';
import { clearStreamNotice, showStreamNotice, streamEndWatcher, type StreamEndReason } from './streamNotice';
import { fetchWebChatToken } from './webChatToken';

const say = pageWords(chatClientWords);

/** Web Chat's props, as far as this page sets them (its own typings leave `renderWebChat` untyped). */
type WebChatProps = Record<string, unknown> & { key: number; disabled: boolean };
const render = renderWebChat as (props: WebChatProps, element: HTMLElement) => void;

type RenderActivity = ((...args: unknown[]) => unknown) | false | undefined;
type ActivityCard = { activity?: { id?: string; from?: { role?: string }; value?: unknown; text?: unknown } };

/**
 * A result (screening category, sharing decision) shows as a card in place of its message bubble, so a
 * busy professional sees the outcome, what to do now and the record controls, not one long bubble; a
 * multiple-choice question gets its checkboxes under the question.
 */
const activityMiddleware =
  () =>
  (next: (...args: unknown[]) => RenderActivity) =>
  (...setup: unknown[]) => {
    const render = next(...setup);
    const activity = (setup[0] as ActivityCard | undefined)?.activity;
    if (!render || activity?.from?.role !== 'bot') return render;
    const card = resultBlock(activity.value, activity.text, say);
    if (card) return () => card;
    const question = multichoiceOf(activity.value);
    const sectionForm = sectionFormOf(activity.value);
    const progress = progressOf(activity.value);
    if (!question && !sectionForm && !progress) return render;
    // "Question 5 of about 12" above the bubble (issue 20 item 6), quiet, so the question stays what is read first.
    const line = progress && h('p', { className: 'sg-progress' }, say('question-progress', { ...progress }));
    // A referral section's fields under its question, one Send for them all (issue 21 item 2).
    const form = question ? h(MultichoiceForm, { question, activityId: activity.id, say }) : sectionForm && h(SectionForm, { question: sectionForm, activityId: activity.id, say });
    return (...args: unknown[]) => h(Fragment, null, line, render(...args) as never, form);
  };

function initials(name: string | undefined): string {
  return (
    (name ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0].toUpperCase())
      .join('') || 'You'
  );
}

/** Each connection gets its own key: "continue here" mounts a fresh Web Chat (and store) that replays the transcript. */
let generation = 0;

/**
 * Shows the professional's conversation: the service resumes the one bound to their sign-in (its stream
 * replays the transcript from the start) or starts a new one. When the service ends the stream (another
 * page took it, the sign-in ended, the conversation expired), this Web Chat is disconnected and disabled
 * and the page says why, with the one way on; nothing stops arriving here without the page saying so.
 */
async function connect(root: HTMLElement, notices: HTMLElement): Promise<void> {
  const { token, userId, userName } = await fetchWebChatToken();
  // Web Chat 4.18 types `webSocket` as a constructor, but botframework-directlinejs reads it as a boolean.
  const webSocket = true as unknown as typeof WebSocket;
  // No conversation id: `POST /conversations` with the token starts its conversation, or resumes it when it exists.
  const directLine = createDirectLine({ token, domain: `${window.location.origin}/v3/directline`, webSocket });
  const key = ++generation;
  const ended = (reason: StreamEndReason) => {
    render(props(true), root);
    showStreamNotice(notices, reason, say, () => onNoticeAction(reason, root, notices));
  };
  const store = createStore({}, streamEndWatcher(ended), pendingChoicesKeeper());
  const props = (disabled: boolean): WebChatProps => ({
    key,
    disabled,
    directLine,
    store,
    userID: userId,
    username: userName,
    locale: 'en-GB',
    activityMiddleware,
    styleOptions: {
      botAvatarInitials: 'SG',
      userAvatarInitials: initials(userName),
      hideUploadButton: true,
      suggestedActionLayout: 'flow',
      sendBoxTextWrap: true,
      accent: '#1d3557',
    },
    // Read by screen readers as the chat's name.
    overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: say('chat-placeholder') },
  });
  clearStreamNotice(notices);
  render(props(false), root);
}

/** "Continue here" takes the stream back with a fresh token (and "start a new conversation" starts one); "sign in again" signs in. */
function onNoticeAction(reason: StreamEndReason, root: HTMLElement, notices: HTMLElement): void {
  if (reason === 'signed-out') {
    window.location.assign('/signin');
    return;
  }
  connect(root, notices)
    .then(() => root.querySelector<HTMLElement>('.webchat__send-box-text-box__html-text-area, .webchat__send-box-text-box__input')?.focus())
    .catch(failed);
}

function failed(error: unknown): void {
  const root = document.getElementById('webchat');
  if (root) root.textContent = say('chat-failed');
  console.error(error);
}

const root = document.getElementById('webchat');
const notices = document.getElementById('sg-stream');
if (root && notices) connect(root, notices).catch(failed);
