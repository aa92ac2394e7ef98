// The pack's words a page's script shows, read from the page (server/webchat/pages.ts `wordsElement`):
// the server puts them there, so the scripts of the tab, the web chat and the insight page carry no words.
import { fillWords, type ServiceWordKey, type WordValues } from '../../../flows/content/serviceWords';

/**
 * The words the page carries for `keys`. A key the page lacks (a cached script meeting a newer page)
 * shows as itself rather than as nothing, so the gap is visible and reported.
 */
export function pageWords<K extends ServiceWordKey>(_keys: readonly K[]): (key: K, values?: WordValues) => string {
  let texts: Record<string, string> = {};
  try {
    texts = JSON.parse(document.getElementById('sg-words')?.dataset.words ?? '{}') as Record<string, string>;
  } catch {
    // Unreadable words: every text shows its key, never a blank.
  }
  return (key, values) => fillWords(texts[key] ?? key, values);
}
