import { randomUUID } from 'node:crypto';
import { storageKeyOf } from '../../integrations';
import { createPersistence, type Persistence } from '../createPersistence';
import { consoleOutput, openCliContext, runCli, type Output } from './cliContext';

export const eraseUsage = 'usage: npm run erase -- --conversation <conversation id>';

/** Parses `--conversation <id>`; undefined for anything else (the caller prints the usage, exit 2). */
export function parseEraseArgs(args: string[]): { conversationId: string } | undefined {
  if (args.length !== 2 || args[0] !== '--conversation') return undefined;
  const id = args[1].trim();
  return id && id.length <= 512 && !id.startsWith('--') ? { conversationId: id } : undefined;
}

/** Removes what is held about one conversation; counts per kind (0 when there was nothing). */
export async function eraseConversation(persistence: Persistence, conversationId: string): Promise<Record<string, number>> {
  const state = await persistence.store.load(conversationId);
  if (state.rev > 0) await persistence.store.delete(conversationId);
  const transcript = await persistence.transcripts.erase(conversationId);
  return { conversation: state.rev > 0 ? 1 : 0, transcript: transcript ? 1 : 0 };
}

/**
 * `npm run erase -- --conversation <id>`: deletes the conversation state (which holds any referral draft)
 * and the web chat transcript, then records on the audit log that erasure happened: kinds, counts, when,
 * by "cli", and a hash of the id (so a later request can be checked against it), never the id itself.
 * Local CLI only, by design: no HTTP route can erase.
 */
export async function main(args: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseEraseArgs(args);
  if (!parsed) {
    io.err(eraseUsage);
    return 2;
  }
  return runCli(io, async () => {
    const context = await openCliContext(env, { connectRedis: false });
    const persistence = await createPersistence(context.config, context.keys, context.logger);
    try {
      const counts = await eraseConversation(persistence, parsed.conversationId);
      await persistence.audit.append({
        id: `erasure-${randomUUID()}`,
        recordType: 'erasure',
        recordedAt: new Date().toISOString(),
        actor: { channelId: 'cli', userId: 'cli' },
        payload: { subject: 'conversation', subjectKey: storageKeyOf(parsed.conversationId), erased: counts },
      });
      io.out(`erased: ${Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(', ')}; audit entry written`);
      return 0;
    } finally {
      await persistence.close();
      await context.close();
    }
  });
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env, consoleOutput).then((code) => {
    process.exitCode = code;
  });
}
