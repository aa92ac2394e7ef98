import { normalise } from './answers';

/** Words that work at every question, whatever flow the professional is in. */
export type GlobalCommand = 'help' | 'back' | 'restart' | 'emergency' | 'coordinator';

const exact: Record<string, GlobalCommand> = {
  help: 'help',
  '?': 'help',
  'help me': 'help',
  back: 'back',
  'go back': 'back',
  previous: 'back',
  undo: 'back',
  restart: 'restart',
  'start again': 'restart',
  'start over': 'restart',
  menu: 'restart',
  'main menu': 'restart',
  // Whole phrases only: "CSE coordinator" alone may be someone's answer to "what is your role?".
  'talk to a coordinator': 'coordinator',
  'speak to a coordinator': 'coordinator',
  'talk to a cse coordinator': 'coordinator',
};

// Matched anywhere in the text: a professional in a hurry may type "child in danger now!!".
const emergencyPattern = /(^|\D)999(\D|$)|\bemergency\b|\b(in|immediate) danger\b/;

export function isEmergency(text: string): boolean {
  return emergencyPattern.test(normalise(text));
}

/** The global command a message is, if any. Help, back and restart must be the whole message. */
export function detectCommand(text: string): GlobalCommand | undefined {
  if (isEmergency(text)) return 'emergency';
  return exact[normalise(text)];
}

function wordsOf(text: string): string {
  return ` ${normalise(text).replace(/[^a-z0-9' ]+/g, ' ')} `;
}

/**
 * The greeting a message is ("Hello!", "thank you :)"), if the whole message is one of its phrases.
 * A greeting inside a longer message ("hi, I am worried about a pupil") is not one: that is the concern.
 */
export function detectGreeting<T extends { phrases: string[] }>(text: string, greetings: readonly T[]): T | undefined {
  const said = wordsOf(text).replace(/\s+/g, ' ').trim();
  return greetings.find((greeting) => greeting.phrases.some((phrase) => normalise(phrase) === said));
}

/** Intent ids whose phrases appear as whole words in free text, in pack order. */
export function detectIntents(text: string, intents: ReadonlyArray<{ id: string; phrases: string[] }>): string[] {
  const t = wordsOf(text);
  return intents.filter((i) => i.phrases.some((p) => t.includes(` ${normalise(p)} `))).map((i) => i.id);
}

/**
 * Intent ids found in free text, the most specific first (the longest phrase found), then in pack order:
 * "I have intelligence to share" is the intelligence flow, though "share" alone means information sharing.
 */
export function rankIntents(text: string, intents: ReadonlyArray<{ id: string; phrases: string[] }>): string[] {
  const t = wordsOf(text);
  const longest = (phrases: string[]) => Math.max(0, ...phrases.filter((p) => t.includes(` ${normalise(p)} `)).map((p) => normalise(p).length));
  return intents
    .map((intent) => ({ id: intent.id, length: longest(intent.phrases) }))
    .filter((found) => found.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((found) => found.id);
}
