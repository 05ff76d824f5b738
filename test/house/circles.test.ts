import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { circles, fileEdges, graphOf } from './imports.js';

/** The child of `folder` (a path relative to src/, '' for src/ itself) that holds `file`, or undefined when it is outside. */
function childOf(folder: string, file: string): string | undefined {
  const prefix = folder === '' ? '' : `${folder}/`;
  if (!file.startsWith(prefix)) return undefined;
  return file.slice(prefix.length).split('/')[0];
}

function foldersOf(files: readonly string[]): string[] {
  const folders = new Set<string>(['']);
  for (const f of files) {
    const parts = f.split('/').slice(0, -1);
    parts.forEach((_, i) => folders.add(parts.slice(0, i + 1).join('/')));
  }
  return [...folders].sort();
}

describe('no import circle under src/', () => {
  const edges = fileEdges();

  it('finds the imports it checks (the scan is not blind)', () => {
    assert.ok(edges.some((e) => e.from === 'compare/prepare-models.ts' && e.to === 'convert/convert.ts'));
    assert.ok(edges.length > 500, `only ${edges.length} import edges found`);
  });

  it('between files, type-only imports included', () => {
    assert.deepEqual(circles(graphOf(edges)), []);
  });

  it('between the folders and files of every folder, at every depth', () => {
    const found = foldersOf(edges.map((e) => e.from)).flatMap((folder) => {
      const inside = edges
        .map((e) => ({ from: childOf(folder, e.from), to: childOf(folder, e.to) }))
        .filter((e): e is { from: string; to: string } => e.from !== undefined && e.to !== undefined);
      return circles(graphOf(inside)).map((c) => `src/${folder}: ${c}`);
    });
    assert.deepEqual(found, []);
  });

  it('the circle finder finds a circle of three and reports it once', () => {
    const graph = graphOf([{ from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'a', to: 'b' }, { from: 'a', to: 'd' }]);
    assert.deepEqual(circles(graph), ['a -> b -> c -> a']);
  });
});
