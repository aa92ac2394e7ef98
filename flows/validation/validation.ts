/**
 * What every validator returns. `reason` is shown to the professional as it is, so it says in plain
 * English what is wrong and how to put it right; it never repeats the value (replies can end up in logs
 * of other systems, and a reason must be safe to record).
 */
export type Validation<T = string> = { ok: true; value: T } | { ok: false; reason: string };

export const valid = <T>(value: T): Validation<T> => ({ ok: true, value });

export const invalid = <T = string>(reason: string): Validation<T> => ({ ok: false, reason });
