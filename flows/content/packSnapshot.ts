import { z } from 'zod';
import type { ContentPack } from './packSchema';

/**
 * A pack as one flat map from a stable dotted key to the words (or value) a lead signed off, e.g.
 * `messages.emergency.text`, `questions.menu.choices.share.title`, `contacts.front-door.hours`. Array
 * elements are keyed by their `id` or `value`, so moving a contact does not read as a change to every
 * contact after it. Short lists (aliases, phrases, days) are one entry joined with " | "; lists of
 * sentences (notes, criteria) keep one entry per item, keyed by their first words, so adding a note
 * reads as one addition, not as a change to every note after it.
 */
export type FlatPack = Record<string, string>;

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Longest item of a list still flattened as one entry (a phrase, not a sentence). */
const shortItem = 60;

/** "Contacts [check]: the Children and …" → `contacts-check-the-children-and-families`. */
function sentenceKey(text: string): string {
  return (
    text
      .toLowerCase()
      .match(/[a-z0-9]+/g)
      ?.slice(0, 6)
      .join('-') ?? 'text'
  );
}

function keyOf(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null) {
    const named = (item as { id?: unknown }).id ?? (item as { value?: unknown }).value;
    if (typeof named === 'string') return named;
  }
  return String(index);
}

function flattenInto(out: FlatPack, prefix: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (isPrimitive(value)) {
    out[prefix] = String(value);
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((item) => isPrimitive(item) && String(item).length <= shortItem)) {
      if (value.length) out[prefix] = value.map(String).join(' | ');
      return;
    }
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const key = typeof item === 'string' ? sentenceKey(item) : keyOf(item, i);
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      flattenInto(out, `${prefix}.${count > 1 ? `${key}-${count}` : key}`, item);
    });
    return;
  }
  const named = prefix.slice(prefix.lastIndexOf('.') + 1);
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if ((key === 'id' || key === 'value') && inner === named) continue; // already the key's last segment
    flattenInto(out, prefix ? `${prefix}.${key}` : key, inner);
  }
}

/**
 * Every value of the pack by dotted key, in the pack's own order. The review stamp (`reviewedOn`,
 * `reviewedBy`) is left out: it says who signed the words off, it is not one of them.
 */
export function flattenPack(pack: ContentPack): FlatPack {
  const { reviewedOn: _on, reviewedBy: _by, ...words } = pack;
  const out: FlatPack = {};
  flattenInto(out, '', words);
  return out;
}

/** The signed-off snapshot kept in the repository (`flows/content/<pack>/signed-off.json`). */
export const signedOffSchema = z.strictObject({
  packId: z.string().min(1),
  version: z.string().min(1),
  reviewedOn: z.string(),
  reviewedBy: z.string(),
  /** Why this snapshot exists, e.g. "baseline before the first sign-off". */
  note: z.string().optional(),
  texts: z.record(z.string(), z.string()),
});

export type SignedOff = z.infer<typeof signedOffSchema>;

export interface PackChange {
  key: string;
  kind: 'changed' | 'added' | 'removed';
  before?: string;
  after?: string;
}

/** What changed between the signed-off texts and the pack now: changed and added in the pack's order, then removed. */
export function packChanges(signedOff: FlatPack, now: FlatPack): PackChange[] {
  const changes: PackChange[] = [];
  for (const [key, after] of Object.entries(now)) {
    const before = signedOff[key];
    if (before === undefined) changes.push({ key, kind: 'added', after });
    else if (before !== after) changes.push({ key, kind: 'changed', before, after });
  }
  for (const [key, before] of Object.entries(signedOff)) if (!(key in now)) changes.push({ key, kind: 'removed', before });
  return changes;
}

/** A snapshot of `pack` as signed off by `reviewedBy` on `reviewedOn`. */
export function signedOffSnapshot(pack: ContentPack, reviewedOn: string, reviewedBy: string, note?: string): SignedOff {
  const texts = flattenPack(pack);
  return { packId: pack.id, version: pack.version, reviewedOn, reviewedBy, ...(note ? { note } : {}), texts };
}
