/**
 * The child's name as one answer (issue 21 item 7): `ref-child-first-name` asks for the whole name, so the
 * last name is not a second message. Only a split that cannot be wrong is taken: a comma between the names,
 * or exactly two words. A single word is the first name and the last name is asked as before; three words
 * or more without a comma ("Mary Jane Smith") could be split either way, so the last name is asked and
 * taken off the end of what was typed.
 */
export function namePartsOf(text: unknown): { first: string; last: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const first = text.slice(0, comma).trim();
    const last = text.slice(comma + 1).trim();
    return first && last ? { first, last } : undefined;
  }
  const words = text.trim().split(/\s+/);
  return words.length === 2 ? { first: words[0], last: words[1] } : undefined;
}

/** The first name once the last is known: "Mary Jane Smith" then "Smith" is Mary Jane. */
export function firstNameWithout(first: unknown, last: unknown): string | undefined {
  if (typeof first !== 'string' || typeof last !== 'string') return undefined;
  const tail = ` ${last.trim()}`.toLowerCase();
  const trimmed = first.trim();
  return trimmed.toLowerCase().endsWith(tail) && trimmed.length > tail.length ? trimmed.slice(0, trimmed.length - tail.length).trim() : undefined;
}
