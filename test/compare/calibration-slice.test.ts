import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scoredSubset } from '../../src/compare/calibration-slice.js';
import { compare } from '../../src/compare/compare.js';
import { VARIANT_PRODUCERS } from '../../src/compare/variants.js';
import { DataError } from '../../src/errors.js';
import { readGlueSplit } from '../../src/glue/read-split.js';
import { selectSubset } from '../../src/glue/subset.js';
import { findGlueTask } from '../../src/glue/tasks.js';
import { recordFileFor } from '../../src/model-folder/layout.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { CALIBRATION_DEFAULTS } from '../../src/quantize/calibrate/calibrate.js';
import { calibrationData } from '../../src/quantize/calibrate/calibration-data.js';
import { readReport } from '../../src/report/read-report.js';
import type { SubsetSetting } from '../../src/report/model/types.js';
import { setupDifferences } from '../../src/report/verdicts/comparable.js';
import { tempDir } from '../helpers/paths.js';
import { editable, sampleReport } from '../helpers/sample-report.js';
import { tinyTextModel } from '../helpers/text-model.js';

/** The bundled tasks whose data/glue folder has dev only. */
const DEV_ONLY_TASKS = ['cola', 'mrpc', 'qnli', 'rte', 'stsb', 'wnli'];

/** A data folder with SST-2's dev split and no train split, as the bundled CoLA, MRPC and RTE are. */
function devOnlySst2(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'SST-2'));
  fs.copyFileSync(path.join(BUNDLED_GLUE_DIR, 'SST-2', 'dev.tsv'), path.join(dir, 'SST-2', 'dev.tsv'));
  return dir;
}

describe('the calibration slice', () => {
  it('on every bundled dev-only task: K = min(200, floor(dev / 4)) rows, all calibrated on, none scored by any subset', () => {
    const modelDir = path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini');
    for (const id of DEV_ONLY_TASKS) {
      const task = findGlueTask(id);
      const dev = readGlueSplit(task, 'dev', BUNDLED_GLUE_DIR);
      const requests: SubsetSetting[] = [{ kind: 'all' }, { kind: 'limit', limit: 40 }, { kind: 'sample', size: 30, seed: 5 }];
      for (const request of requests) {
        const subset = scoredSubset(request, task, BUNDLED_GLUE_DIR, ['fp32', 'int8-static']);
        const slice = subset.calibrationSlice;
        assert.deepEqual(slice, { size: Math.min(200, Math.floor(dev.labels.length / 4)), seed: 0 }, id);
        const calibration = calibrationData(modelDir, { ...CALIBRATION_DEFAULTS, task: id, dataDir: BUNDLED_GLUE_DIR, source: { split: 'dev', slice } });
        assert.equal(calibration.indices.length, slice.size, id);
        const scored = selectSubset(dev, subset).indices;
        assert.deepEqual([...scored].filter((row) => calibration.indices.includes(row)), [], `${id} ${request.kind}`);
      }
      const everyScored = selectSubset(dev, scoredSubset({ kind: 'all' }, task, BUNDLED_GLUE_DIR, ['int8-static'])).indices;
      assert.equal(everyScored.length, dev.labels.length - Math.min(200, Math.floor(dev.labels.length / 4)), id);
    }
  });

  it('is not taken where the task has a train split, or where no variant calibrates', () => {
    const all: SubsetSetting = { kind: 'all' };
    assert.equal(scoredSubset(all, findGlueTask('sst2'), BUNDLED_GLUE_DIR, ['fp32', 'int8-static']), all);
    assert.equal(scoredSubset(all, findGlueTask('cola'), BUNDLED_GLUE_DIR, ['fp32', 'int8-dynamic', 'int8-auto', 'int4', 'fp16']), all);
  });

  it('a dev split too small to spare a quarter is refused, naming the file and what to do', () => {
    const data = tempDir();
    fs.mkdirSync(path.join(data, 'CoLA'));
    const rows = fs.readFileSync(path.join(BUNDLED_GLUE_DIR, 'CoLA', 'dev.tsv'), 'utf8').split('\n').slice(0, 3);
    fs.writeFileSync(path.join(data, 'CoLA', 'dev.tsv'), `${rows.join('\n')}\n`);
    assert.throws(() => scoredSubset({ kind: 'all' }, findGlueTask('cola'), data, ['int8-static']), (e: unknown) =>
      e instanceof DataError && /CoLA\/dev\.tsv: int8-static calibrates on a quarter of dev .* 3 dev rows cannot spare one; add CoLA\/train\.tsv/.test(e.message));
  });

  it('two reports whose slices differ, or one with a slice and one without, are different subsets to regress and merge', () => {
    const withSlice = (slice?: { size: number; seed: number }) => {
      const r = editable(sampleReport());
      r.settings.subset = slice ? { kind: 'all', calibrationSlice: slice } : { kind: 'all' };
      return r;
    };
    const kinds = (a: ReturnType<typeof withSlice>, b: ReturnType<typeof withSlice>) => setupDifferences(a, b).map((d) => d.kind);
    assert.deepEqual(kinds(withSlice({ size: 200, seed: 0 }), withSlice({ size: 200, seed: 0 })), []);
    assert.deepEqual(kinds(withSlice({ size: 200, seed: 0 }), withSlice({ size: 200, seed: 1 })), ['subset']);
    assert.deepEqual(kinds(withSlice({ size: 200, seed: 0 }), withSlice()), ['subset']);
    assert.match(setupDifferences(withSlice({ size: 102, seed: 0 }), withSlice())[0]?.text ?? '',
      /subset: baseline dev minus a calibration slice of 102 rows, seed 0, current the full dev set/);
  });
});

describe('the int8-static recipe line', () => {
  const producer = VARIANT_PRODUCERS['int8-static'];

  it('names the train split, or the held-out dev slice, whichever the ranges are measured on', () => {
    const ranges = (ctx: Parameters<typeof producer.settings>[0]) => producer.recipe?.(ctx).at(-1);
    assert.equal(ranges({ task: 'sst2', dataDir: BUNDLED_GLUE_DIR }), "ranges: minmax on the task's train split");
    assert.equal(ranges({ task: 'wnli', dataDir: BUNDLED_GLUE_DIR, calibrationSlice: { size: 17, seed: 0 } }),
      "ranges: minmax on 17 dev rows held out of every variant's scoring (seed 0), the task having no train split");
  });

  it('says train split only where one is read: without a slice and without train.tsv the build fails instead', async () => {
    const fp32Dir = await tinyTextModel();
    await assert.rejects(Promise.resolve(producer.produce(fp32Dir, tempDir(), { task: 'sst2', dataDir: devOnlySst2() })), (e: unknown) =>
      e instanceof DataError && /SST-2\/train\.tsv: SST-2 train file not found/.test(e.message));
  });
});

describe('compare: int8-static on a task without a train split', () => {
  it('calibrates on a seeded dev slice that no variant is scored on, and the report says so', async () => {
    const root = tempDir();
    const cacheDir = path.join(root, 'cache');
    const r = await compare({
      models: ['bert'], variants: ['fp32', 'int8-static'], task: 'sst2', dataDir: devOnlySst2(), subset: { kind: 'limit', limit: 300 },
      batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'slice', cacheDir,
    });
    const report = readReport(path.join(r.reportDir, 'report.json'));
    // K = min(200, floor(872 / 4)) = 200, seeded with calibration's seed.
    assert.deepEqual(report.settings.subset, { kind: 'limit', limit: 300, calibrationSlice: { size: 200, seed: 0 } });
    const [fp32, int8] = report.variants;
    assert.ok(fp32?.state === 'completed' && int8?.state === 'completed');
    const record = JSON.parse(fs.readFileSync(recordFileFor(path.join(cacheDir, int8.file)), 'utf8')) as {
      calibration: { split: string; samples: number; rows: number[] };
    };
    assert.equal(record.calibration.split, 'dev');
    assert.equal(record.calibration.rows.length, 200);
    const calibrated = new Set(record.calibration.rows);
    for (const rows of [report.gold?.rows, fp32.predictions?.rows, int8.predictions?.rows]) {
      assert.equal(rows?.length, 300, 'the limit counts rows outside the slice');
      assert.deepEqual(rows.filter((row) => calibrated.has(row)), [], 'no scored row was calibrated on');
    }
    assert.equal(int8.recipe?.at(-1), 'ranges: minmax on 200 dev rows held out of every variant\'s scoring (seed 0), the task having no train split');
    const markdown = fs.readFileSync(path.join(r.reportDir, 'report.md'), 'utf8');
    assert.match(markdown, /Task sst2 on the first 300 dev examples outside a calibration slice of 200 rows, seed 0;/);
  });
});
