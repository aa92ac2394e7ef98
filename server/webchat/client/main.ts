import { createElement as h, Fragment } from 'react';
import { createDirectLine, renderWebChat } from 'botframework-webchat';
import { pageWords } from '../../tabs/client/pageWords';
import { chatClientWords } from '../../clientWords';
import { resultBlock } from './resultBlock';

const say = pageWords(chatClientWords);

interface TokenResponse {
  token: string;
  conversationId: string;
  expires_in: number;
  userId: string;
  userName?: string;
}

/** botframework-webchat 4.18 declares `renderWebChat` as `any`; this is how it is called (props, element). */
const render = renderWebChat as (props: object, element: HTMLElement) => void;

type RenderActivity = ((...args: unknown[]) => unknown) | false | undefined;
type ActivityCard = { activity?: { from?: { role?: string }; value?: unknown } };

/**
 * Adds a readable block under bot messages whose `value` is a result (category with reasons, decision
 * with lawful basis): the text alone says it, the block lets a busy professional scan it.
 */
const activityMiddleware = () => (next: (...args: unknown[]) => RenderActivity) => (...setup: unknown[]) => {
  const render = next(...setup);
  const activity = (setup[0] as ActivityCard | undefined)?.activity;
  const block = activity?.from?.role === 'bot' ? resultBlock(activity.value, say) : undefined;
  if (!render || !block) return render;
  return (...args: unknown[]) => h(Fragment, null, render(...args) as never, block);
};

async function fetchToken(): Promise<TokenResponse> {
  const res = await fetch('/webchat/token', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
  // The session has ended (expired cookie, signed out in another tab): sign in again.
  if (res.status === 401) {
    window.location.assign('/signin');
    throw new Error('signed out');
  }
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return (await res.json()) as TokenResponse;
}

function initials(name: string | undefined): string {
  return (name ?? '').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || 'You';
}

async function start(): Promise<void> {
  const root = document.getElementById('webchat');
  if (!root) return;
  const { token, userId, userName } = await fetchToken();
  // Web Chat 4.18 types `webSocket` as a constructor, but botframework-directlinejs reads it as a boolean.
  const webSocket = true as unknown as typeof WebSocket;
  const directLine = createDirectLine({ token, domain: `${window.location.origin}/v3/directline`, webSocket });
  render(
    {
      directLine,
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
    },
    root,
  );
}

start().catch((error: unknown) => {
  const root = document.getElementById('webchat');
  if (root) root.textContent = say('chat-failed');
  console.error(error);
});
