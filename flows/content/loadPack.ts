import { z } from 'zod';
import { DomainError } from '../errors';
import { adviceReferenceProblems } from './adviceReferences';
import { contentPackSchema, type ContentPack } from './packSchema';
import { callTokenProblems, unknownSourceProblems } from './packReferences';
import { gloucestershireParts } from './gloucestershire';

type Part = { file: string; json: unknown };
const keyed = ['sources', 'messages', 'questions', 'bankHolidays', 'adviceLines', 'rules', 'screening', 'referral', 'insights', 'routes'] as const;
const listed = ['intents', 'greetings', 'contacts', 'notes', 'faqs'] as const;

function fail(file: string, path: string, message: string): never {
  throw new DomainError('SG-CONTENT-INVALID', `${file}: ${path}: ${message}`);
}

function asObject(value: unknown, file: string, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, path, 'expected an object');
  return value as Record<string, unknown>;
}

/** Joins pack parts; the first part gives id, version and title. A duplicated key names both files. */
export function mergePackParts(parts: Part[]): { merged: Record<string, unknown>; origin: Map<string, string> } {
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  parts.forEach(({ file, json }, index) => {
    const part = asObject(json, file, '(root)');
    if (index === 0) Object.assign(merged, part);
    for (const field of keyed) {
      const target = (merged[field] = index === 0 ? { ...asObject(part[field] ?? {}, file, field) } : (merged[field] ?? {})) as Record<string, unknown>;
      for (const [key, value] of Object.entries(asObject(part[field] ?? {}, file, field))) {
        const previous = origin.get(`${field}.${key}`);
        if (previous && previous !== file) fail(file, `${field}.${key}`, `already defined in ${previous}`);
        origin.set(`${field}.${key}`, file);
        target[key] = value;
      }
    }
    for (const field of listed) {
      if (index === 0 || part[field] === undefined) continue;
      if (!Array.isArray(part[field])) fail(file, field, 'expected an array');
      merged[field] = [...((merged[field] as unknown[]) ?? []), ...(part[field] as unknown[])];
    }
  });
  return { merged, origin };
}

/** A greeting whose words are missing would show a professional a key mid-conversation: refused at load. */
function greetingProblems(pack: ContentPack): string[] {
  return pack.greetings.flatMap((greeting) =>
    [greeting.reply, greeting.midQuestion].filter((key) => !pack.messages[key]).map((key) => `greetings.${greeting.id}: message "${key}" is not in the pack`),
  );
}

/**
 * Validates a content pack made of one or more parts. A broken pack must stop start-up: guidance with a
 * missing text or an unsourced claim is worse than no service, so this throws with the file and the path.
 */
export function parseContentPack(parts: Part[]): ContentPack {
  const { merged, origin } = mergePackParts(parts);
  const parsed = contentPackSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String);
    const file = origin.get(path.slice(0, 2).join('.')) ?? parts[0].file;
    throw new DomainError('SG-CONTENT-INVALID', `${file}: ${path.join('.') || '(root)'}: ${issue.message}`, {
      cause: new Error(z.prettifyError(parsed.error)),
    });
  }
  // Each check names the file and the path, so a lead editing the JSON knows where to look.
  const problems = [
    ...unknownSourceProblems(parts, parsed.data),
    ...callTokenProblems(parts, parsed.data),
    ...adviceReferenceProblems(parsed.data).map((problem) => `${parts[0].file}: ${problem}`),
    ...greetingProblems(parsed.data).map((problem) => `${parts[0].file}: ${problem}`),
  ];
  if (problems.length) throw new DomainError('SG-CONTENT-INVALID', problems[0]);
  return parsed.data;
}

/** The pack shipped with the service (Gloucestershire defaults). */
export function loadDefaultPack(): ContentPack {
  return parseContentPack(gloucestershireParts);
}
