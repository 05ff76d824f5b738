import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * The import lines of src/, file to file, as the house tests read them. Type-only imports count
 * too: a type is knowledge of the module it comes from. Only relative imports of files under src/
 * are edges; packages are not.
 */
export const SRC = path.join(REPO_ROOT, 'src');

export interface FileEdge {
  /** Both paths relative to src/, with forward slashes. */
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');

/** The specifiers of a file's static import and export-from lines, multi-line ones included. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
}

/** Every file-to-file import edge under src/. */
export function fileEdges(): FileEdge[] {
  return sourceFiles(SRC).flatMap((file) =>
    importSpecifiers(fs.readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
      .filter((target) => target.startsWith(SRC + path.sep))
      .map((target) => ({ from: relative(file), to: relative(target) })),
  );
}

/** The circles of a directed graph, each written `a -> b -> a`, each once. */
export function circles(next: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const found = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const loop = trail.slice(at);
      // One spelling per circle: start it at its smallest node.
      const start = loop.indexOf([...loop].sort()[0] ?? node);
      const turned = [...loop.slice(start), ...loop.slice(0, start)];
      found.add([...turned, turned[0]].join(' -> '));
      return;
    }
    if (done.has(node)) return;
    for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
    done.add(node);
  };
  for (const node of [...next.keys()].sort()) visit(node, []);
  return [...found].sort();
}

/** A graph from edges, self-edges left out. */
export function graphOf(edges: ReadonlyArray<{ readonly from: string; readonly to: string }>): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>();
  for (const e of edges) if (e.from !== e.to) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  return next;
}
