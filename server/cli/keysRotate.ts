import { join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  rotateEmbeddedAudit,
  rotateEmbeddedDocuments,
  rotateEmbeddedOutbox,
  rotateEmbeddedTranscripts,
  rotateRedisAudit,
  rotateRedisDocuments,
  rotateRedisOutbox,
  rotateRedisTranscripts,
  documentKinds,
  type EnvelopeCipher,
  type RotationCounts,
} from '../../integrations';
import type { Redis } from 'ioredis';
import { referenceMashFolders } from '../referenceMash';
import { openCliContext, runAsEntryPoint, runCli, type Output } from './cliContext';

const line = (name: string, c: RotationCounts) => `${name}: ${c.checked} checked, ${c.reencrypted} re-encrypted, ${c.current} already current, ${c.unreadable} unreadable`;

/**
 * The stores that are not plain documents, in order: transcripts, outbox payloads, the audit log (on the
 * service's store), then the development reference MASH (always files under DATA_DIR, when present).
 */
async function otherStores(dataDir: string, cipher: EnvelopeCipher, redis: Redis | undefined, keyPrefix: string): Promise<Array<[string, RotationCounts]>> {
  const done: Array<[string, RotationCounts]> = [
    ['transcripts', redis ? await rotateRedisTranscripts(redis, cipher, keyPrefix) : await rotateEmbeddedTranscripts(dataDir, cipher)],
    ['outbox', redis ? await rotateRedisOutbox(redis, cipher, keyPrefix) : await rotateEmbeddedOutbox(dataDir, cipher)],
    ['audit', redis ? await rotateRedisAudit(redis, cipher, keyPrefix) : await rotateEmbeddedAudit(dataDir, cipher)],
  ];
  if (existsSync(join(dataDir, 'reference-mash'))) {
    for (const folder of referenceMashFolders) {
      const kind = { name: `reference-mash ${folder}`, folder: `reference-mash/${folder}`, namespace: '', context: `reference-mash:${folder}` };
      done.push([kind.name, await rotateEmbeddedDocuments(dataDir, kind, cipher)]);
    }
  }
  return done;
}

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
      for (const kind of Object.values(documentKinds)) {
        const counts = context.redis
          ? await rotateRedisDocuments(context.redis, kind, context.cipher, context.keyPrefix)
          : await rotateEmbeddedDocuments(context.config.DATA_DIR, kind, context.cipher);
        io.out(line(kind.name, counts));
        unreadable += counts.unreadable;
      }
      for (const [name, counts] of await otherStores(context.config.DATA_DIR, context.cipher, context.redis, context.keyPrefix)) {
        io.out(line(name, counts));
        unreadable += counts.unreadable;
      }
      if (unreadable > 0) {
        io.err(`${unreadable} records could not be decrypted with any configured key: keep the old keys until this is explained`);
        return 1;
      }
      io.out('done: everything stored is under the newest key');
      return 0;
    } finally {
      await context.close();
    }
  });
}

runAsEntryPoint(module, (_args, env, io) => main(env, io));
