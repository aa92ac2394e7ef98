/**
 * What `POST /webchat/token` answers, as far as the page uses it: a token for the professional's conversation
 * (their current one, or a new one bound to them; the answer's `resumed` says which, and the page need not know).
 */
export interface WebChatToken {
  token: string;
  conversationId: string;
  userId: string;
  userName?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Reads the answer, checking each field the page uses (a bundle has no zod: this is its parse). */
export function webChatTokenOf(body: unknown): WebChatToken | undefined {
  if (!isRecord(body)) return undefined;
  const { token, conversationId, userId, userName } = body;
  if (!isText(token) || !isText(conversationId) || !isText(userId)) return undefined;
  return { token, conversationId, userId, ...(isText(userName) ? { userName } : {}) };
}

/** Asks the service for this professional's conversation; a session that has ended goes to the sign-in page. */
export async function fetchWebChatToken(): Promise<WebChatToken> {
  const res = await fetch('/webchat/token', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
  // The session has ended (expired cookie, signed out in another tab): sign in again.
  if (res.status === 401) {
    window.location.assign('/signin');
    throw new Error('signed out');
  }
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  const token = webChatTokenOf(await res.json());
  if (!token) throw new Error('token response unreadable');
  return token;
}
