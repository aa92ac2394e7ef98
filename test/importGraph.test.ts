import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importCycles, readImportGraph, type SourceFile } from './support/importGraph';

/**
 * The layer rules of the README's architecture section, enforced (issue 19 items 6 and 11): a change
 * that breaks one fails here with the file and the import that broke it.
 */
const root = join(__dirname, '..');
const graph = readImportGraph(root, ['bot', 'flows', 'integrations', 'server', 'manifest', 'bench', 'test']);
const production = graph.filter((f) => !/\.test\.ts$/.test(f.path) && !f.path.startsWith('test/') && !f.path.startsWith('bench/'));

const jsonOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const layerOf = (path: string) => path.split('/')[0];
const importsInto = (files: SourceFile[], banned: (target: string) => boolean) => files.flatMap((f) => f.files.filter(banned).map((target) => `${f.path} -> ${target}`));

/**
 * The channel SDK (the Agents SDK's hosting and Teams packages, and the archived botbuilder ones, which
 * must not come back); the Activity schema (`@microsoft/agents-activity`) and the Web Chat client may be used anywhere.
 */
const channelSdk = /^(@microsoft\/agents-hosting|@microsoft\/agents-hosting-extensions-teams|botbuilder|botframework-connector|botframework-schema|botframework-streaming)(\/|$)/;

describe('the layers', () => {
  it('reads the whole tree (a broken reader would pass every rule)', () => {
    expect(graph.length).toBeGreaterThan(300);
    expect(graph.find((f) => f.path === 'server/main.ts')?.files).toContain('server/createApp.ts');
  });

  it('flows/ imports nothing of ours outside flows/, tests included: the rules stay pure', () => {
    expect(
      importsInto(
        graph.filter((f) => layerOf(f.path) === 'flows'),
        (t) => layerOf(t) !== 'flows',
      ),
    ).toEqual([]);
  });

  it('integrations/ never imports server/ or bot/', () => {
    expect(
      importsInto(
        production.filter((f) => layerOf(f.path) === 'integrations'),
        (t) => ['server', 'bot'].includes(layerOf(t)),
      ),
    ).toEqual([]);
  });

  it('bot/ never imports server/ (server composes bot, not the other way)', () => {
    expect(
      importsInto(
        production.filter((f) => layerOf(f.path) === 'bot'),
        (t) => layerOf(t) === 'server',
      ),
    ).toEqual([]);
  });

  it('no file outside bot/ imports the channel SDK, so moving to its successor touches bot/ alone', () => {
    // The bench's references are bots on the SDK itself (issue 23: the same SDK as the service): the floor and the peer
    // with nothing of ours, and the floor that sends this service's recorded replies (saving its record with our store
    // code in one mode), which must reach the SDK as the service does; and the HTTP harness they share.
    const benchBaselines = /^bench\/(agents(Floor|Peer|RepliesFloor)Bot|sdkBotServer)\.ts$/;
    const outside = graph
      .filter((f) => layerOf(f.path) !== 'bot' && !benchBaselines.test(f.path))
      .flatMap((f) => f.packages.filter((p) => channelSdk.test(p)).map((p) => `${f.path} -> ${p}`));
    expect(outside).toEqual([]);
  });

  it("package.json's dependencies hold no archived botbuilder package: the Agents SDK replaced them (issue 22)", () => {
    const manifest = jsonOf(join(root, 'package.json'));
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    expect(declared.filter((name) => /^(botbuilder|botframework-connector|botframework-schema|botframework-streaming)/.test(name))).toEqual([]);
    expect(['@microsoft/agents-hosting', '@microsoft/agents-activity'].filter((name) => !manifest.dependencies[name])).toEqual([]);
  });

  it('the reference MASH is its own app: only the composition roots import it, and only through its index', () => {
    // server/createApp.ts mounts it; keys:rotate re-encrypts its files. Anything else would tie the service to a development stand-in.
    const roots = ['server/createApp.ts', 'server/cli/keysRotate.ts'];
    const inside = (path: string) => path.startsWith('server/referenceMash/');
    const outside = production.filter((f) => !inside(f.path));
    expect(
      importsInto(
        outside.filter((f) => !roots.includes(f.path)),
        inside,
      ),
    ).toEqual([]);
    expect(
      importsInto(
        outside.filter((f) => roots.includes(f.path)),
        (t) => inside(t) && t !== 'server/referenceMash/index.ts',
      ),
    ).toEqual([]);
  });

  it('the reference MASH takes from the service only the shared HTTP helpers (server/http) and the logger', () => {
    const ownServer = (t: string) => layerOf(t) === 'server' && !t.startsWith('server/referenceMash/') && !t.startsWith('server/http/') && t !== 'server/logger.ts';
    expect(
      importsInto(
        production.filter((f) => f.path.startsWith('server/referenceMash/')),
        ownServer,
      ),
    ).toEqual([]);
  });

  it('the use cases (server/services/) take ports: no HTTP framework, no channel SDK, no route or page of the server', () => {
    const services = production.filter((f) => f.path.startsWith('server/services/'));
    expect(services.length).toBeGreaterThan(5);
    const http = /^(express|ws|helmet)(\/|$)/;
    expect(services.flatMap((f) => f.packages.filter((p) => http.test(p) || channelSdk.test(p)).map((p) => `${f.path} -> ${p}`))).toEqual([]);
    const otherServer = (t: string) => layerOf(t) === 'server' && !t.startsWith('server/services/') && t !== 'server/logger.ts';
    expect(importsInto(services, otherServer)).toEqual([]);
  });

  it('no file imports itself through others', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('no folder imports itself through another folder (folders are the modules people look for)', () => {
    const byFolder = new Map<string, Set<string>>();
    for (const f of production) {
      const from = dirname(f.path);
      const targets = byFolder.get(from) ?? new Set<string>();
      // A folder and its own sub-folders are one module (a barrel re-exports its parts); only imports between
      // folders that are not nested count, e.g. server/limits and server/directline.
      const nested = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
      for (const t of f.files) if (!nested(dirname(t), from)) targets.add(dirname(t));
      byFolder.set(from, targets);
    }
    const folders: SourceFile[] = [...byFolder].map(([path, targets]) => ({ path, packages: [], files: [...targets] }));
    expect(importCycles(folders)).toEqual([]);
  });
});
