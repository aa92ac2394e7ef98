import type { WordValues } from '../../../flows/content/serviceWords';
import type { chatClientWords } from '../../clientWords';

/** The pack's words the page carries for the chat (server/webchat/pages.ts `chatClientWords`). */
export type ChatWords = (key: (typeof chatClientWords)[number], values?: WordValues) => string;
