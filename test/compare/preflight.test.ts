import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { defaultReportName } from '../../src/compare/model-arguments.js';
import { DataError, UsageError } from '../../src/errors.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/paths.js';

function options(root: string, change: Partial<CompareOptions> = {}): CompareOptions {
  return {
    models: ['bert', 'albert'], variants: ['fp32'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'test', cacheDir: path.join(root, 'cache'), ...change,
  };
}

/** compare refuses the request with `kind` and `message` before any work: nothing is written to the cache. */
async function refused(change: Partial<CompareOptions>, kind: typeof UsageError | typeof DataError, message: string | RegExp): Promise<number> {
  const root = tempDir();
  const started = performance.now();
  await assert.rejects(compare(options(root, change)), (e: unknown) => {
    assert.ok(e instanceof kind, String(e));
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
  assert.equal(fs.existsSync(path.join(root, 'cache', 'convert')), false, 'no conversion was started');
  return performance.now() - started;
}

describe('compare checks everything checkable before any work', () => {
  it('a name that is no bundled model, folder or org/name id is refused in under a second, suggesting the nearest', async () => {
    const ms = await refused({ models: ['bert', 'bret'] }, UsageError,
      'model "bret" is not a bundled model (bert, albert), an existing folder, or a Hugging Face id (org/name); did you mean bert?');
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    await refused({ models: ['alber'] }, UsageError, /did you mean albert\?$/);
    await refused({ models: ['roberta-large'] }, UsageError, /or a Hugging Face id \(org\/name\)$/);
    await refused({ models: ['./models/missing'] }, UsageError, 'model "./models/missing" is not an existing folder');
  });

  it('duplicate models or variants: exit 2 naming the duplicate', async () => {
    await refused({ models: ['bert', 'bert'] }, UsageError, 'models: "bert" is given twice');
    await refused({ variants: ['fp32', 'int4', 'fp32'] }, UsageError, '--variants: "fp32" is given twice');
  });

  it('thresholds out of range', async () => {
    await refused({ constraints: { minAccuracy: 1.5 } }, UsageError, '--min-accuracy 150: give a percentage from 0 to 100');
    await refused({ constraints: { minAccuracy: -0.01 } }, UsageError, '--min-accuracy -1: give a percentage from 0 to 100');
    await refused({ constraints: { maxSizeBytes: 0 } }, UsageError, '--max-size 0: give a size in MB greater than 0');
    await refused({ constraints: { maxLatencyMs: 0 } }, UsageError, '--max-latency 0: give milliseconds greater than 0');
  });

  it('subset sizes of zero', async () => {
    await refused({ subset: { kind: 'limit', limit: 0 } }, UsageError, '--limit 0: give a whole number of examples, 1 or more');
    await refused({ subset: { kind: 'sample', size: 0, seed: 0 } }, UsageError, '--sample 0: give a whole number of examples, 1 or more');
  });

  it('a report name that is not a folder name, or a report folder albench did not write', async () => {
    await refused({ name: '._x' }, UsageError, /^report name "\._x" must be letters, digits/);
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'reports', 'test'), { recursive: true });
    fs.writeFileSync(path.join(root, 'reports', 'test', 'notes.txt'), 'mine');
    await assert.rejects(compare(options(root)), /--name test: .* exists and is not an albench report folder/);
  });

  it('a reports or cache folder that cannot be written', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    await refused({ reportsDir: path.join(file, 'reports') }, UsageError, `--reports ${path.join(file, 'reports')}: cannot write there (ENOTDIR); choose a folder you can write to`);
    await refused({ cacheDir: file }, UsageError, `--cache ${file}: cannot write there (EEXIST); choose a folder you can write to`);
  });

  it('task data missing or empty: exit 1 naming the file', async () => {
    const data = tempDir();
    await refused({ dataDir: data }, DataError, /SST-2.dev\.tsv: SST-2 dev file not found/);
    fs.mkdirSync(path.join(data, 'SST-2'));
    fs.writeFileSync(path.join(data, 'SST-2', 'dev.tsv'), 'sentence\tlabel\n');
    await refused({ dataDir: data }, DataError, `${path.join(data, 'SST-2', 'dev.tsv')}: SST-2 dev file has no examples (only the header row); a score needs at least one`);
  });
});

describe('the default report name', () => {
  it('is made from bundled names, folder base names and hub ids, always a valid folder name', () => {
    assert.equal(defaultReportName(['bert', 'albert']), 'bert-vs-albert');
    assert.equal(defaultReportName(['./models/x', path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini')]), 'x-vs-bert-sst2-mini');
    assert.equal(defaultReportName(['textattack/bert-base-uncased-SST-2@main']), 'textattack_bert-base-uncased-SST-2_main');
    assert.equal(defaultReportName(['/']), 'model');
    const long = defaultReportName(Array.from({ length: 20 }, (_, i) => `org/model-number-${i}`));
    assert.ok(long.length <= 120 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(long), long);
  });
});
