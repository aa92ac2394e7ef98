import { adviceMessageKeys, type ContentPack, type PackContact } from './packSchema';

function openingProblems(contact: PackContact, index: number, byId: Map<string, PackContact>): string[] {
  const opening = contact.opening;
  if (opening?.kind !== 'when-closed') return [];
  const target = byId.get(opening.contact);
  const where = `contacts.${index}.opening.contact`;
  if (!target) return [`${where}: unknown contact "${opening.contact}"`];
  if (!target.opening) return [`${where}: contact "${opening.contact}" has no opening hours`];
  // One level only: a chain (or a cycle) of "open when the other is closed" is a puzzle, not a rota.
  if (target.opening.kind === 'when-closed') return [`${where}: contact "${opening.contact}" is itself "when-closed"`];
  return [];
}

function groupProblems(pack: ContentPack, byId: Map<string, PackContact>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [group, { contacts }] of Object.entries(pack.adviceLines ?? {})) {
    contacts.forEach((contactId, i) => {
      const where = `adviceLines.${group}.contacts.${i}`;
      // A contact without opening hours is shown with its hours in words, never as open or closed.
      if (!byId.has(contactId)) problems.push(`${where}: unknown contact "${contactId}"`);
      if (seen.has(contactId)) problems.push(`${where}: contact "${contactId}" is listed twice`);
      seen.add(contactId);
    });
  }
  return problems;
}

/**
 * Cross-references the advice-line data: every contact a group names exists, every contact a "when-closed"
 * rule names has opening hours, and the words the answer needs are in the pack. Checked at load, so a broken rota
 * stops start-up instead of telling a professional the wrong line mid-conversation.
 */
export function adviceReferenceProblems(pack: ContentPack): string[] {
  const byId = new Map(pack.contacts.map((c) => [c.id, c]));
  const problems = pack.contacts.flatMap((contact, i) => openingProblems(contact, i, byId));
  if (Object.keys(pack.adviceLines ?? {}).length === 0) return problems;
  const missing = adviceMessageKeys.filter((key) => !pack.messages[key]).map((key) => `messages.${key}: message "${key}" is required with adviceLines`);
  return [...problems, ...groupProblems(pack, byId), ...missing];
}
