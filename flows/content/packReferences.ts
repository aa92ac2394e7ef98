import { callMessageKeys, type ContentPack, type PackContact } from './packSchema';

/**
 * The call tokens a pack text may hold: `{{call-now}}` (the pack's `callNow` contact, the children's front
 * door, with its out-of-hours alternative) and `{{call:CONTACT-ID}}` (one contact). Double braces, so they
 * never collide with the `{name}` placeholders that code fills with values. Their syntax belongs to the
 * pack (checked here at load); `advice/callTokens` fills them at send time.
 */
export const callTokenPattern = /\{\{(call-now|call:([a-z0-9][a-z0-9-]*))\}\}/g;

/** The contact ids a text's tokens name (`{{call-now}}` as the pack's `callNow`, or `call-now` when unset). */
export function callTokenContacts(pack: Pick<ContentPack, 'callNow'>, text: string): string[] {
  return [...text.matchAll(callTokenPattern)].map((match) => match[2] ?? pack.callNow ?? 'call-now');
}

/** Whether a text has any call token (cheap test before filling). */
export function hasCallTokens(text: string): boolean {
  return text.includes('{{call');
}

/** One part of a pack as it was written: its file and its JSON. */
export interface PackPart {
  file: string;
  json: unknown;
}

/** Something a part says, with the file and the dotted path where it says it. */
export interface Located<T> {
  file: string;
  path: string;
  value: T;
}

/** A path segment for an array element: its `id` or `value` when it has one (stable across edits), else its index. */
function segment(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null) {
    const named = (item as { id?: unknown; value?: unknown }).id ?? (item as { value?: unknown }).value;
    if (typeof named === 'string') return named;
  }
  return String(index);
}

/** Calls `visit` for every value under `json`, depth first, with its dotted path. */
export function walk(json: unknown, visit: (path: string[], value: unknown) => void, path: string[] = []): void {
  visit(path, json);
  if (Array.isArray(json)) json.forEach((item, i) => walk(item, visit, [...path, segment(item, i)]));
  else if (typeof json === 'object' && json !== null) for (const [key, value] of Object.entries(json)) walk(value, visit, [...path, key]);
}

/**
 * Every source a pack text cites (`source: "id"`, or `sources: ["id", …]` inside a text), wherever the
 * part puts it: overrides, routes and steps added later are covered without a list to keep in step.
 * The register itself (root `sources`) is skipped: it defines ids, it does not cite them.
 */
export function citedSources(parts: PackPart[]): Array<Located<string>> {
  const cited: Array<Located<string>> = [];
  for (const { file, json } of parts) {
    walk(json, (path, value) => {
      if (path[0] === 'sources' && path.length <= 2) return;
      const key = path[path.length - 1];
      if (key === 'source' && typeof value === 'string') cited.push({ file, path: path.join('.'), value });
      if (key === 'sources' && Array.isArray(value)) {
        value.forEach((id, i) => typeof id === 'string' && cited.push({ file, path: `${path.join('.')}.${i}`, value: id }));
      }
    });
  }
  return cited;
}

/** Every string of every part that holds a call token, with the contact ids it names (notes for the lead are not shown, so not filled). */
export function callTokenUses(parts: PackPart[], pack: Pick<ContentPack, 'callNow'>): Array<Located<string[]>> {
  const uses: Array<Located<string[]>> = [];
  for (const { file, json } of parts) {
    walk(json, (path, value) => {
      if (typeof value !== 'string' || path[0] === 'notes') return;
      const ids = callTokenContacts(pack, value);
      if (ids.length) uses.push({ file, path: path.join('.') || '(root)', value: ids });
    });
  }
  return uses;
}

/** The part that holds the register (for a message about it), else the first part. */
function registerFile(parts: PackPart[]): string {
  return parts.find(({ json }) => typeof json === 'object' && json !== null && 'sources' in json)?.file ?? parts[0]?.file ?? '(pack)';
}

/** Every `source` a pack text names must be in the register, so a lead can check it. */
export function unknownSourceProblems(parts: PackPart[], pack: ContentPack): string[] {
  const known = new Set(Object.keys(pack.sources));
  const problems: string[] = [];
  for (const [key, source] of Object.entries(pack.sources)) {
    if (source.supersededBy && !known.has(source.supersededBy)) problems.push(`${registerFile(parts)}: sources.${key}.supersededBy: unknown source "${source.supersededBy}"`);
  }
  for (const { file, path, value } of citedSources(parts)) if (!known.has(value)) problems.push(`${file}: ${path}: unknown source "${value}"`);
  return problems;
}

function alternativeProblems(file: string, pack: ContentPack, byId: Map<string, PackContact>): string[] {
  return pack.contacts.flatMap((contact) => {
    if (!contact.alternative) return [];
    const where = `${file}: contacts.${contact.id}.alternative`;
    if (!byId.has(contact.alternative)) return [`${where}: unknown contact "${contact.alternative}"`];
    return contact.alternative === contact.id ? [`${where}: a contact cannot be its own alternative`] : [];
  });
}

/**
 * Call tokens must name real contacts, and a line that closes must name its alternative, because the
 * runtime may only say "phone now" about a closed line with the open one in the same sentence (R8.2).
 * Checked at load, so a mistyped id stops start-up instead of reaching a professional as `{{call:lado}}`.
 */
export function callTokenProblems(parts: PackPart[], pack: ContentPack): string[] {
  const byId = new Map(pack.contacts.map((c) => [c.id, c]));
  const file = parts[0]?.file ?? '(pack)';
  const problems = alternativeProblems(file, pack, byId);
  const uses = callTokenUses(parts, pack);
  for (const { file, path, value } of uses) {
    for (const id of value) {
      const contact = byId.get(id);
      if (!contact) problems.push(`${file}: ${path}: ${id === 'call-now' ? '{{call-now}} needs "callNow" naming a contact' : `{{call:${id}}} names no contact`}`);
      else if (contact.opening && contact.opening.kind !== 'always' && !contact.alternative) {
        problems.push(`${file}: ${path}: {{call:${id}}} names a line that closes but has no "alternative" to give while it is closed`);
      }
    }
  }
  if (uses.length) for (const key of callMessageKeys) if (!pack.messages[key]) problems.push(`${file}: messages.${key}: message "${key}" is required with call tokens`);
  return problems;
}
