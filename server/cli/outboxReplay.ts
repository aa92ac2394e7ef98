import { randomUUID } from 'node:crypto';
import { runAsEntryPoint, runCli, withPersistence, type Output } from './cliContext';

export const replayUsage = 'usage: npm run outbox:replay -- --list | <client reference>';

/** Exit code when the entry cannot be replayed (not parked, withdrawn, unknown). */
export const notReplayableExitCode = 3;

const reasons = {
  'not-found': 'no outbox entry has that client reference',
  'not-parked': 'it is not parked (still being tried, or already delivered): nothing to replay',
  'no-payload': 'its payload was erased (withdrawn): it can never be delivered; the referrer must refer again',
} as const;

/**
 * `npm run outbox:replay`: `--list` shows parked entries (references, attempts, reason: no personal data)
 * and quarantined ones (unreadable, moved aside: their file name or client reference);
 * `<client reference>` puts one parked entry back in the queue, due now, once the cause is fixed, and
 * records on the audit log who did (the CLI) and when. The running service delivers it. Local CLI only,
 * like every admin action: no HTTP route can replay.
 */
export async function main(args: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const [arg] = args;
  if (args.length !== 1 || !arg || (arg.startsWith('--') && arg !== '--list') || arg.length > 128) {
    io.err(replayUsage);
    return 2;
  }
  return runCli(io, () =>
    withPersistence(env, async (persistence) => {
      if (arg === '--list') {
        const parked = await persistence.outbox.list('parked');
        io.out(`${parked.length} parked`);
        for (const r of parked)
          io.out(`${r.clientReference}  ${r.target}  attempts ${r.attempts}  parked ${new Date(r.parkedAt ?? r.updatedAt).toISOString()}  ${r.lastError ?? ''}`.trimEnd());
        // Entries that could not be read at all: moved aside so they block nothing; a person must look at each.
        const quarantined = await persistence.outbox.quarantined();
        if (quarantined.length) io.out(`${quarantined.length} quarantined (unreadable: see docs/deploy.md, Delivery guarantees)`);
        for (const key of quarantined) io.out(`quarantined  ${key}`);
        return 0;
      }
      const result = await persistence.outbox.replay(arg);
      if (!result.ok) {
        io.err(`not replayed: ${reasons[result.reason]}`);
        return notReplayableExitCode;
      }
      // "My referrals" shows it on its way again; delivery (or another park) updates it as usual.
      await persistence.referrals.update(arg, (t) => (t.status === 'parked' ? { ...t, status: 'queued', parkedReason: undefined } : undefined));
      await persistence.audit.append({
        id: `outbox-replay-${randomUUID()}`,
        recordType: 'outbox-replay',
        recordedAt: new Date().toISOString(),
        actor: { channelId: 'cli', userId: 'cli' },
        payload: { clientReference: arg, attemptsBefore: result.record.attempts },
      });
      io.out(`replayed: ${arg} is queued again (after ${result.record.attempts} attempts); the running service delivers it; audit entry written`);
      return 0;
    }),
  );
}

runAsEntryPoint(module, main);
