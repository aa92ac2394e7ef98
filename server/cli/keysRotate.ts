import { rotateEmbeddedAudit, rotateEmbeddedDocuments, rotateRedisAudit, rotateRedisDocuments, type RotationCounts } from '../../integrations';
import { documentKinds } from '../createPersistence';
import { consoleOutput, openCliContext, runCli, type Output } from './cliContext';

const line = (name: string, c: RotationCounts) =>
  `${name}: ${c.checked} checked, ${c.reencrypted} re-encrypted, ${c.current} already current, ${c.unreadable} unreadable`;

/**
 * `npm run keys:rotate`: re-encrypts every stored document not under the newest key (the first of
 * STATE_ENCRYPTION_KEYS), beside the running service: each record is swapped by compare-and-set, so a
 * concurrent save is never lost. Prints counts per kind only. Running it again is harmless (resumable).
 * Exit 1 when some record is unreadable with the configured keys: do not retire an old key then.
 */
export async function main(env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  return runCli(io, async () => {
    const context = await openCliContext(env);
    try {
      io.out(`re-encrypting under key ${context.cipher.currentKeyId} (${context.keys.length} keys configured, ${context.redis ? 'redis' : 'embedded'} store)`);
      let unreadable = 0;
      for (const kind of documentKinds) {
        const counts = context.redis
          ? await rotateRedisDocuments(context.redis, kind, context.cipher, context.keyPrefix)
          : await rotateEmbeddedDocuments(context.config.DATA_DIR, kind, context.cipher);
        io.out(line(kind.name, counts));
        unreadable += counts.unreadable;
      }
      const audit = context.redis ? await rotateRedisAudit(context.redis, context.cipher, context.keyPrefix) : await rotateEmbeddedAudit(context.config.DATA_DIR, context.cipher);
      io.out(line('audit', audit));
      unreadable += audit.unreadable;
      if (unreadable > 0) {
        io.err(`${unreadable} records could not be decrypted with any configured key: keep the old keys until this is explained`);
        return 1;
      }
      io.out('done: every document store and the audit log is under the newest key');
      return 0;
    } finally {
      await context.close();
    }
  });
}

if (require.main === module) {
  void main(process.env, consoleOutput).then((code) => {
    process.exitCode = code;
  });
}
