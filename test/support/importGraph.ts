import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. `server/app.ts`. */
  path: string;
  /** Packages imported (the bare specifier as written). */
  packages: string[];
  /** Our own files imported, repository-relative. */
  files: string[];
}

const skipped = new Set(['node_modules', 'dist', '.git', 'coverage', 'artifacts']);

function sourcesUnder(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (skipped.has(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
    }
  };
  if (existsSync(join(root, folder))) walk(join(root, folder));
  return out;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}.mts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Every import of every TypeScript file under the given folders, read with the compiler's own
 * pre-processor (static imports, re-exports, `import()` and `require`), type-only imports included:
 * a cycle of types still ties the files together for whoever has to change them.
 */
export function readImportGraph(root: string, folders: string[]): SourceFile[] {
  return folders.flatMap((folder) =>
    sourcesUnder(root, folder).map((file) => {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const packages: string[] = [];
      const files: string[] = [];
      for (const { fileName } of info.importedFiles) {
        if (fileName.startsWith('.')) {
          const target = resolveRelative(file, fileName);
          if (target) files.push(relative(root, target).split('\\').join('/'));
        } else if (!fileName.startsWith('node:')) packages.push(fileName);
      }
      return { path: relative(root, file).split('\\').join('/'), packages, files };
    }),
  );
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function importCycles(graph: SourceFile[]): string[][] {
  const edges = new Map(graph.map((f) => [f.path, f.files]));
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!indices.has(v)) visit(v);
  return cycles;
}
