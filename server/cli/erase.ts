import { randomUUID } from 'node:crypto';
import { storageKeyOf } from '../../integrations';
import { runAsEntryPoint, runCli, withPersistence, type Output } from './cliContext';
import { eraseConversation, eraseProfessional, findProfessionalHoldings, type ErasureCounts, type ProfessionalHoldings } from './erasure';

export const eraseUsage = 'usage: npm run erase -- --conversation <conversation id> | --professional <user id or Entra object id> [--force]';

export type EraseRequest = { subject: 'conversation'; id: string } | { subject: 'professional'; id: string; force: boolean };

/** Exit code when erasure is refused because a child's referral or handoff is still in progress. */
export const refusedExitCode = 3;

const validId = (id: string | undefined): id is string => id !== undefined && id.trim().length > 0 && id.length <= 512 && !id.startsWith('--');

/** Parses the arguments; undefined for anything else (the caller prints the usage, exit 2). */
export function parseEraseArgs(args: string[]): EraseRequest | undefined {
  if (args.length === 2 && args[0] === '--conversation' && validId(args[1])) return { subject: 'conversation', id: args[1].trim() };
  const force = args.includes('--force');
  const rest = args.filter((arg) => arg !== '--force');
  if (rest.length === 2 && rest[0] === '--professional' && validId(rest[1]) && args.length === rest.length + (force ? 1 : 0)) {
    return { subject: 'professional', id: rest[1].trim(), force };
  }
  return undefined;
}

const countsLine = (counts: ErasureCounts) =>
  Object.entries(counts)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');

/**
 * A professional's erasure refused: a referral not yet at the MASH, or a handoff a coordinator is
 * working on, would be lost with it. References printed are the service's own, never personal data.
 */
function refusal(holdings: ProfessionalHoldings): string[] {
  return [
    'refused: erasing this professional would lose work still in progress for a child:',
    ...holdings.undelivered.map((r) => `  referral ${r.clientReference}: not yet delivered to the MASH`),
    ...holdings.activeHandoffs.map((h) => `  handoff ${h.handoffId}: ${h.status}, a coordinator is working on it`),
    'Let the referral be delivered (or phone it through to the MASH) and close the handoff, then run again;',
    'or add --force to erase anyway: the referral is withdrawn and will never reach the MASH.',
  ];
}

/**
 * `npm run erase -- --conversation <id>`: deletes the conversation state (which holds any referral draft)
 * and the web chat transcript. `--professional <id>`: everything held about one professional (their
 * referrals' tracking, unfinished referral drafts, conversation references, unread notices, handoffs,
 * and the conversations those lead to), refused while a referral of theirs is undelivered or a handoff open, unless `--force`.
 * Either way the audit log records that erasure happened: kinds, counts, when, by "cli", and a hash of
 * the id (so a later request can be checked against it), never the id itself.
 * Local CLI only, by design: no HTTP route can erase.
 */
export async function main(args: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseEraseArgs(args);
  if (!parsed) {
    io.err(eraseUsage);
    return 2;
  }
  return runCli(io, () =>
    withPersistence(env, async (persistence) => {
      let counts: ErasureCounts;
      if (parsed.subject === 'conversation') {
        counts = await eraseConversation(persistence, parsed.id);
      } else {
        const holdings = await findProfessionalHoldings(persistence, parsed.id);
        if (!parsed.force && (holdings.undelivered.length > 0 || holdings.activeHandoffs.length > 0)) {
          refusal(holdings).forEach((line) => io.err(line));
          return refusedExitCode;
        }
        counts = await eraseProfessional(persistence, parsed.id, holdings);
      }
      await persistence.audit.append({
        id: `erasure-${randomUUID()}`,
        recordType: 'erasure',
        recordedAt: new Date().toISOString(),
        actor: { channelId: 'cli', userId: 'cli' },
        payload: { subject: parsed.subject, subjectKey: storageKeyOf(parsed.id), erased: counts, ...(parsed.subject === 'professional' ? { forced: parsed.force } : {}) },
      });
      io.out(`erased: ${countsLine(counts)}; audit entry written`);
      return 0;
    }),
  );
}

runAsEntryPoint(module, main);
