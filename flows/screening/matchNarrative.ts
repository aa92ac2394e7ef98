/**
 * Proposes indicators from a professional's own words. It only proposes: every match is shown back as a
 * choice to confirm, so a negation ("no sign of drugs") or an odd phrasing costs one untick, never a
 * wrong category. Deterministic word matching, no model.
 */

// Articles carry no meaning for a match and make "picked up in cars" miss "picked up in a car".
const ignored = new Set(['a', 'an', 'the']);

/** Undo a doubled final consonant ("stopp" → "stop"), but not in words that end double ("miss", "fall"). */
function undouble(word: string): string {
  const last = word[word.length - 1];
  return last === word[word.length - 2] && !'slzf'.includes(last) ? word.slice(0, -1) : word;
}

/**
 * A light stemmer applied to both text and phrases, so "picked up", "picks up" and "picking up" meet at
 * "pick up" and "boyfriends" at "boyfriend". Short stems are left alone ("caring" must not become "car").
 */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length - 3 >= 4) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length - 2 >= 4) return undouble(word.slice(0, -2));
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Lower-case word stems, apostrophes dropped ("girlfriend's" → "girlfriend"). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019']s\b/g, '')
    .replace(/[\u2018\u2019']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !ignored.has(w))
    .map(stem);
}

// Plain loops: this runs for every pack phrase against every narrative, and a closure per position was
// about half of what a narrative turn allocated (issue 23).
function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    let j = 0;
    while (j < needle.length && haystack[i + j] === needle[j]) j += 1;
    if (j === needle.length) return true;
  }
  return false;
}

/**
 * The ids whose phrases appear in the text as whole words (case-insensitive, simple plural and tense
 * tolerance), in the order the phrases are given.
 */
export function matchNarrative(text: string, phrasesById: Record<string, { phrases: readonly string[] }>): string[] {
  const stems = words(text);
  const found: string[] = [];
  for (const [id, phrases] of stemmedPhrases(phrasesById)) {
    if (phrases.some((phrase) => containsRun(stems, phrase))) found.push(id);
  }
  return found;
}

/**
 * The pack's phrases as stems, once per pack section rather than on every narrative: stemming a few hundred
 * phrases each time was most of a narrative turn's allocations (issue 23 item 3). Pack sections are not
 * changed after load, so the object is the key.
 */
const stemmed = new WeakMap<object, Array<[string, string[][]]>>();

function stemmedPhrases(phrasesById: Record<string, { phrases: readonly string[] }>): Array<[string, string[][]]> {
  let found = stemmed.get(phrasesById);
  if (!found) {
    found = Object.entries(phrasesById).map(([id, { phrases }]) => [id, phrases.map(words)]);
    stemmed.set(phrasesById, found);
  }
  return found;
}
