import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { circles, fileEdges, graphOf } from './imports.js';

/**
 * The layers of docs/architecture.md, checked on the import lines of src/ (type-only imports
 * count too: a type is knowledge of the module it comes from). A home is the first folder under
 * src/, or the file's name for a file directly in src/.
 */

/** What each home may never import, and why (the map states the same). */
const FORBIDDEN: ReadonlyArray<{ readonly from: readonly string[]; readonly to: readonly string[]; readonly why: string }> = [
  { from: ['eval'], to: ['convert', 'quantize', 'optimize', 'bench', 'compare', 'inspect', 'hub'], why: 'eval runs any ONNX file' },
  {
    from: ['checkpoint', 'arch', 'tokenizers', 'glue', 'model-folder', 'util', 'tensor', 'errors', 'redact', 'paths', 'version'],
    to: ['onnx', 'convert', 'quantize', 'optimize', 'eval', 'bench', 'compare', 'inspect', 'hub', 'report', 'cli', 'cache'],
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

/** deploy reads reports and the cache; only the cli (and the library entry) may import it. */
const DEPLOY_MAY_IMPORT = ['report', 'cache', 'model-folder', 'util', 'errors', 'version'];

function homeOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length === 0 ? (first ?? '').replace(/\.ts$/, '') : first ?? '';
}

/** Every (home, imported home) pair with the file that makes it. */
function importEdges(): Array<{ from: string; to: string; file: string }> {
  return fileEdges()
    .map((e) => ({ from: homeOf(e.from), to: homeOf(e.to), file: `src/${e.from}` }))
    .filter((e) => e.from !== e.to);
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

  it('cache imports only util and errors: it stores any step\'s files, knowing none of them', () => {
    const broken = edges.filter((e) => e.from === 'cache' && !['util', 'errors'].includes(e.to));
    assert.deepEqual(broken.map((e) => `${e.file} -> ${e.to}`), []);
  });

  it('nothing under src/ imports compare but the cli and the library entry (index.ts), and nothing imports those two', () => {
    const entries = ['cli', 'index'];
    const broken = edges.filter((e) => (e.to === 'compare' && !entries.includes(e.from)) || entries.includes(e.to));
    assert.deepEqual(broken.map((e) => `${e.file} -> ${e.to}`), []);
  });

  it(`deploy imports only ${DEPLOY_MAY_IMPORT.join(', ')}, and only the cli and index import deploy`, () => {
    const out = edges.filter((e) => e.from === 'deploy' && !DEPLOY_MAY_IMPORT.includes(e.to));
    const into = edges.filter((e) => e.to === 'deploy' && !['cli', 'index'].includes(e.from));
    assert.deepEqual([...out, ...into].map((e) => `${e.file} -> ${e.to}`), []);
  });

  it('the homes import each other without a circle', () => {
    assert.deepEqual(circles(graphOf(edges)), []);
  });
});

/**
 * report/'s own homes: model (what a report is) imports nothing else of report; verdicts (what it
 * concludes) imports model; render imports model and verdicts; merge and suite import model,
 * verdicts and render; the files at report/'s root join them, and only they import merge or suite.
 */
const REPORT_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  model: [],
  verdicts: ['model'],
  render: ['model', 'verdicts'],
  merge: ['model', 'verdicts', 'render'],
  suite: ['model', 'verdicts', 'render'],
};

/** A file's home inside report/: its first folder there, or '' for a file at report/'s root; undefined outside report/. */
function reportHomeOf(file: string): string | undefined {
  const [first, second, ...rest] = file.split('/');
  if (first !== 'report' || second === undefined) return undefined;
  return rest.length === 0 ? '' : second;
}

describe('the homes inside src/report', () => {
  const edges = fileEdges()
    .map((e) => ({ from: reportHomeOf(e.from), to: reportHomeOf(e.to), file: `src/${e.from}`, target: `src/${e.to}` }))
    .filter((e): e is { from: string; to: string; file: string; target: string } => e.from !== undefined && e.to !== undefined && e.from !== e.to);

  it('finds the imports it checks (the scan is not blind)', () => {
    assert.ok(edges.some((e) => e.from === 'render' && e.to === 'model'), 'render -> model must be seen');
    assert.ok(edges.some((e) => e.from === '' && e.to === 'suite'), 'a root file -> suite must be seen');
  });

  it('has exactly the homes the rules name, and every report file sits in one of them or at the root', () => {
    const homes = new Set(fileEdges().flatMap((e) => [reportHomeOf(e.from), reportHomeOf(e.to)]).filter((h) => h !== undefined && h !== ''));
    assert.deepEqual([...homes].sort(), Object.keys(REPORT_ALLOWED).sort());
  });

  for (const [home, allowed] of Object.entries(REPORT_ALLOWED)) {
    it(`report/${home} imports ${allowed.length === 0 ? 'nothing else of report' : `only ${allowed.join(', ')} of report`}`, () => {
      const broken = edges.filter((e) => e.from === home && !allowed.includes(e.to));
      assert.deepEqual(broken.map((e) => `${e.file} -> ${e.target}`), []);
    });
  }
});
