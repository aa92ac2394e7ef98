/** JSON.parse, or undefined for text that is not JSON (a torn or foreign file is read as absent, never thrown). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
