/**
 * Deterministic ids for screenings. Flows never read the clock or a random source (a replayed turn must
 * make the same decisions), so an id is a digest of what was answered and when (the runtime stamps each
 * answer with `at`), plus how many results this screening has issued.
 */

/** 32-bit FNV-1a as 8 hex digits. Not cryptographic: it only has to spread, not to hide. */
function fnv1a(text: string, basis: number): string {
  let hash = basis;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** 64 bits from two bases, so ids of different conversations practically never meet in the audit log. */
export function digest(text: string): string {
  return fnv1a(text, 0x811c9dc5) + fnv1a(text, 0x050c5d1f);
}

/** Free text never enters the digest, only its length: the id is written to the audit log. */
export function foldAnswer(seed: string, questionId: string, value: unknown, freeText: boolean, at?: string, ref?: string): string {
  const shown = freeText ? `#${String(value).length}` : JSON.stringify(value);
  return digest(`${seed}|${questionId}=${shown}@${at ?? ''}${ref ? `~${ref}` : ''}`);
}

export function screeningIdOf(seed: string, issued: number): string {
  return `scr-${digest(`${seed}#${issued}`)}-${issued}`;
}
