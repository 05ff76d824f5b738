import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * The layers of docs/architecture.md, checked on the import lines of src/ (type-only imports
 * count too: a type is knowledge of the module it comes from). A home is the first folder under
 * src/, or the file's name for a file directly in src/.
 */
const SRC = path.join(REPO_ROOT, 'src');

/** What each home may never import, and why (the map states the same). */
const FORBIDDEN: ReadonlyArray<{ readonly from: readonly string[]; readonly to: readonly string[]; readonly why: string }> = [
  { from: ['eval'], to: ['convert', 'quantize', 'optimize', 'bench', 'compare', 'inspect', 'hub'], why: 'eval runs any ONNX file' },
  {
    from: ['checkpoint', 'arch', 'tokenizers', 'glue', 'model-folder', 'util', 'tensor', 'errors', 'redact', 'paths', 'version'],
    to: ['onnx', 'convert', 'quantize', 'optimize', 'eval', 'bench', 'compare', 'inspect', 'hub', 'report', 'cli'],
    why: 'readers and shared knowledge sit below the ONNX toolkit and the pipeline',
  },
  {
    from: ['onnx'],
    to: ['convert', 'quantize', 'optimize', 'eval', 'bench', 'compare', 'inspect', 'hub', 'report', 'cli'],
    why: 'the ONNX toolkit knows no pipeline step',
  },
  {
    from: ['report'],
    to: ['convert', 'quantize', 'optimize', 'eval', 'bench', 'compare', 'inspect', 'hub', 'checkpoint', 'onnx', 'cli', 'tune'],
    why: 'report renders data, not the pipeline (GLUE\'s metric definitions in glue/ are data it may use)',
  },
  { from: ['optimize'], to: ['quantize', 'convert', 'eval', 'bench', 'compare'], why: 'optimize shares only the homes below it with quantize' },
  { from: ['quantize'], to: ['optimize', 'convert', 'eval', 'bench', 'compare'], why: 'quantize rewrites any encoder graph' },
  { from: ['browser'], to: ['convert', 'quantize', 'optimize', 'eval', 'compare', 'tune'], why: 'the browser runner times any ONNX file, as bench does' },
  { from: ['convert'], to: ['quantize', 'optimize', 'eval', 'bench', 'compare', 'inspect'], why: 'convert builds graphs from checkpoints only' },
  {
    from: ['checkpoint', 'arch', 'tokenizers', 'glue', 'model-folder', 'onnx', 'convert', 'quantize', 'optimize', 'eval', 'bench', 'report', 'inspect', 'hub'],
    to: ['tune'],
    why: 'tune (the accuracy-aware search) sits above quantize and eval; only compare and the cli use it',
  },
  { from: ['tune'], to: ['convert', 'bench', 'compare', 'cli'], why: 'tune searches a converted model with quantize and scores it on GLUE text' },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function homeOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length === 0 ? (first ?? '').replace(/\.ts$/, '') : first ?? '';
}

/** Every (home, imported home) pair with the file that makes it. */
function importEdges(): Array<{ from: string; to: string; file: string }> {
  return sourceFiles(SRC).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
    return specifiers
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
      .filter((target) => target.startsWith(SRC + path.sep))
      .map((target) => ({ from: homeOf(file), to: homeOf(target), file: path.relative(REPO_ROOT, file) }))
      .filter((e) => e.from !== e.to);
  });
}

describe('the layers of src/', () => {
  const edges = importEdges();

  it('finds the imports it checks (the scan is not blind)', () => {
    assert.ok(edges.some((e) => e.from === 'compare' && e.to === 'convert'), 'compare -> convert must be seen');
    assert.ok(edges.some((e) => e.from === 'eval' && e.to === 'tokenizers'), 'eval -> tokenizers must be seen');
  });

  for (const rule of FORBIDDEN) {
    it(`${rule.from.join(', ')} import none of ${rule.to.join(', ')}: ${rule.why}`, () => {
      const broken = edges.filter((e) => rule.from.includes(e.from) && rule.to.includes(e.to));
      assert.deepEqual(broken.map((e) => `${e.file} -> ${e.to}`), []);
    });
  }

  it('nothing under src/ imports compare but the cli and the library entry (index.ts), and nothing imports those two', () => {
    const entries = ['cli', 'index'];
    const broken = edges.filter((e) => (e.to === 'compare' && !entries.includes(e.from)) || entries.includes(e.to));
    assert.deepEqual(broken.map((e) => `${e.file} -> ${e.to}`), []);
  });

  it('the homes import each other without a circle', () => {
    const next = new Map<string, Set<string>>();
    for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
    const circles: string[] = [];
    const visit = (home: string, trail: string[]): void => {
      if (trail.includes(home)) {
        circles.push([...trail.slice(trail.indexOf(home)), home].join(' -> '));
        return;
      }
      for (const to of next.get(home) ?? []) visit(to, [...trail, home]);
    };
    for (const home of next.keys()) visit(home, []);
    assert.deepEqual([...new Set(circles)], []);
  });
});
