import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ReportError } from '../../../src/errors.js';
import type { GlueTaskId } from '../../../src/glue/tasks.js';
import { assembleSuiteReport } from '../../../src/report/suite/assemble.js';
import { officialMetrics } from '../../../src/report/suite/average.js';
import { SUITE_JSON_SCHEMA, validateSuiteReport } from '../../../src/report/model/suite-schema.js';
import type { SuiteReport, SuiteRunReport } from '../../../src/report/model/suite-types.js';
import { writeSuiteReport } from '../../../src/report/write-suite-report.js';
import type { Report } from '../../../src/report/model/types.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';
import { schemaFieldNames } from '../../helpers/schema-fields.js';

type Values = Record<string, Record<string, number>>;

/** MRPC and STS-B figures by hand (invented); SST-2 keeps the sample report's accuracies. */
const MRPC: Record<string, Values> = {
  bert: { fp32: { accuracy: 0.8, f1: 0.86 }, 'int8-dynamic': { accuracy: 0.79, f1: 0.85 }, 'fp32-optimized': { accuracy: 0.8, f1: 0.86 } },
  albert: { fp32: { accuracy: 0.81, f1: 0.87 }, 'int8-dynamic': { accuracy: 0.78, f1: 0.84 } },
};
const STSB: Record<string, Values> = {
  bert: { fp32: { pearson: 0.84, spearman: 0.83 }, 'int8-dynamic': { pearson: 0.83, spearman: 0.83 }, 'fp32-optimized': { pearson: 0.84, spearman: 0.83 } },
  albert: { fp32: { pearson: 0.86, spearman: 0.85 }, 'int8-dynamic': { pearson: 0.85, spearman: 0.84 } },
};

/** One family's part of the sample report, relabelled as a run on `task` with the given metric values. */
function taskReport(model: 'bert' | 'albert', task: GlueTaskId, values?: Values): Report {
  const r = editable(sampleReport());
  r.settings.task = task;
  r.models = r.models.filter((m) => m.id === model);
  r.variants = r.variants.filter((v) => v.model === model);
  r.recommendation = { kind: 'no-fit', variantIds: [], reason: 'not used by the suite' };
  r.claims = [];
  for (const v of r.variants) {
    if (v.state !== 'completed') continue;
    const own = values?.[v.variant];
    const [first] = v.metrics;
    if (own === undefined || first === undefined) continue;
    const combined = task === 'mrpc' ? 'acc_and_f1' : 'pearson_and_spearman';
    const all = { ...own, [combined]: Object.values(own).reduce((a, b) => a + b, 0) / 2 };
    v.metrics = Object.entries(all).map(([key, value], i) => ({
      key, value, examples: 408, ci95Low: value - 0.03, ci95High: value + 0.03,
      ...(i === 0 && first.differenceVsFp32 ? { differenceVsFp32: first.differenceVsFp32 } : {}),
    }));
  }
  return r as Report;
}

function suite(): SuiteReport {
  const runs: SuiteRunReport[] = (['bert', 'albert'] as const).flatMap((family) => [
    { family, task: 'sst2' as const, report: taskReport(family, 'sst2') },
    { family, task: 'mrpc' as const, report: taskReport(family, 'mrpc', MRPC[family]) },
    { family, task: 'stsb' as const, report: taskReport(family, 'stsb', STSB[family]) },
  ]);
  return assembleSuiteReport({
    name: 'sample-suite',
    settings: { variants: ['fp32', 'fp32-optimized', 'int8-dynamic'], batchSizes: [1, 8], sequenceLengths: [128], warmupIterations: 20, constraints: {} },
    tasks: (['sst2', 'mrpc', 'stsb'] as const).map((task, i) => ({
      task, name: ['SST-2', 'MRPC', 'STS-B'][i] ?? task, subset: { kind: 'all' }, metrics: officialMetrics(task),
    })),
    families: ['bert', 'albert'],
    runs,
  });
}

const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('the suite report', () => {
  it('GLUE averages and differences match a hand computation, with two-metric tasks (MRPC, STS-B)', () => {
    const report = suite();
    const row = (id: string) => report.rows.find((r) => r.id === id);
    // The sample report's SST-2 accuracies, as it rounds them: 690 and 687 of 872 right.
    const sst2 = 0.79128;
    close(row('bert/fp32')?.glueAverage, (sst2 + (0.8 + 0.86) / 2 + (0.84 + 0.83) / 2) / 3);
    close(row('bert/fp32')?.paperStyleAverage, (sst2 + 0.86 + 0.83) / 3);
    const bertInt8 = (0.78784 + (0.79 + 0.85) / 2 + (0.83 + 0.83) / 2) / 3;
    close(row('bert/int8-dynamic')?.glueAverage, bertInt8);
    close(row('bert/int8-dynamic')?.glueDeltaVsFp32Points, (bertInt8 - (row('bert/fp32')?.glueAverage ?? NaN)) * 100);
    close(row('bert/int8-dynamic')?.cells[1]?.scoreDeltaVsFp32Points, ((0.79 + 0.85) / 2 - (0.8 + 0.86) / 2) * 100);
    assert.equal(row('bert/int8-dynamic')?.cells[0]?.differenceVsFp32?.test, 'mcnemar');
    // albert/fp32-optimized failed: no averages from fewer tasks.
    assert.equal(row('albert/fp32-optimized')?.glueAverage, undefined);
    assert.deepEqual(row('albert/fp32-optimized')?.cells.map((c) => c.state), ['failed', 'failed', 'failed']);
    close(row('bert/fp32')?.meanSizeBytes, 19_153_420);
  });

  it('the ALBERT claims and the recommendation work on the GLUE average', () => {
    const report = suite();
    const cost = report.claims.find((c) => c.id === 'glue-cost:int8-dynamic');
    const albert = report.rows.find((r) => r.id === 'albert/int8-dynamic')?.glueAverage ?? NaN;
    const bert = report.rows.find((r) => r.id === 'bert/int8-dynamic')?.glueAverage ?? NaN;
    const delta = ((albert - bert) * 100).toFixed(1);
    // The claim names the paired bootstrap it rests on (the sample's SST-2 predictions stand in for every task's here).
    const expected = `^ALBERT int8-dynamic (loses|gains) ${delta.replace('-', '')} GLUE points? \\(paired bootstrap over 2616 rows of 3 tasks, p [=<] [\\d.]+, `
      + '95% CI [-+][\\d.]+ to [-+][\\d.]+ points\\) for 3\\.6x less disk than BERT int8-dynamic';
    assert.match(cost?.evidence ?? '', new RegExp(expected));
    assert.equal(cost?.verdict, 'supported');
    assert.equal(report.claims.find((c) => c.id === 'glue-cost:fp32-optimized')?.verdict, 'not measured');
    assert.equal(report.recommendation.kind, 'pareto');
    assert.ok(report.recommendation.variantIds.includes('albert/int8-dynamic'));
  });

  it('is written in every format: JSON valid against its schema, the results table in the papers\' layout, two charts, CSV per metric', async () => {
    const dir = await writeSuiteReport(suite(), tempDir(), 'sample-suite');
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    const json = validateSuiteReport(JSON.parse(read('report.json')), 'report.json');
    assert.equal(json.suiteSchemaVersion, 1);
    assert.equal(json.taskReports.length, 6);
    const md = read('report.md');
    assert.match(md, /\| model \| SST-2 \(acc\) \| MRPC \(acc\/F1\) \| STS-B \(Pearson\/Spearman\) \| GLUE avg \| paper-style avg \| Δ GLUE vs fp32 \|/);
    assert.match(md, /\| bert\/fp32 \| 79\.1 \| 80\.0\/86\.0 \| 84\.0\/83\.0 \| 81\.9 \| 82\.7 \|  \|/);
    assert.match(md, /MNLI-m and MNLI-mm count as one task/);
    assert.match(md, /WNLI left out/);
    const html = read('report.html');
    assert.equal(html.match(/<svg class="chart"/g)?.length, 2);
    assert.match(html, /GLUE average vs file size/);
    assert.match(html, /GLUE average vs latency/);
    // The suite's front judges rows as its recommendation does, with the task reports' noise rules; the caption says which.
    const caption = /<figcaption>Circled: no other row is better on one axis and not worse on the other, differences within noise counting as ties/g;
    assert.equal(html.match(caption)?.length, 2);
    const csv = read('report.csv').trimEnd().split('\r\n');
    // 5 completed rows x (1 + 2 + 2 metrics) + 1 failed row x 3 tasks + the header.
    assert.equal(csv.length, 5 * 5 + 3 + 1);
  });

  it('a suite report.json with an unknown field or a broken task report is refused', () => {
    const report = JSON.parse(JSON.stringify(suite())) as Record<string, unknown> & { taskReports: Array<{ report: Record<string, unknown> }> };
    assert.throws(() => validateSuiteReport({ ...report, colour: 'red' }, 'r.json'), ReportError);
    const broken = structuredClone(report);
    delete broken.taskReports[0]?.report.env;
    assert.throws(() => validateSuiteReport(broken, 'r.json'), /taskReports\/0\/report/);
  });
});

describe('docs/report-schema.md, suite reports', () => {
  it('documents every field of the suite schema (those shared with a report where the report\'s are)', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'report-schema.md'), 'utf8');
    const fields = schemaFieldNames(SUITE_JSON_SCHEMA);
    assert.deepEqual([...fields].filter((f) => !doc.includes(`\`${f}`)), []);
  });
});
