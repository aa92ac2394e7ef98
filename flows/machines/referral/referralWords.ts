import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';

/** A pack message with `{name}` filled in; a missing one is a content error, named. */
export function words(pack: ContentPack, key: string, vars: Record<string, string> = {}): string {
  const text = pack.messages[key]?.text;
  if (!text) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is needed by the referral flow`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
