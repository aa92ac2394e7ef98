import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './serviceProcess';

export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** Starts oidc-provider (ESM, so in its own process) on loopback with one client for `redirectUri`. */
export async function startOidcProvider(redirectUri: string): Promise<OidcProvider> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidcProviderProcess.mjs'), String(port), redirectUri], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}: ${output}`)));
  });
  return {
    issuer,
    clientId: 'safeguarding-bot-test',
    clientSecret: 'test-oidc-client-secret-0123456789',
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
