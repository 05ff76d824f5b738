import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mergeReports } from '../../src/report/merge/merge.js';
import { validateReport } from '../../src/report/model/json-schema.js';
import type { Report } from '../../src/report/model/types.js';
import { readReport } from '../../src/report/read-report.js';
import { renderCsv } from '../../src/report/render/csv.js';
import { renderHtml } from '../../src/report/render/html.js';
import { renderMarkdown } from '../../src/report/render/markdown.js';
import { runRegress } from '../../src/report/run-regress.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/verdicts/regress.js';
import { parseCsv } from '../helpers/csv.js';
import { tempDir } from '../helpers/paths.js';
import { sampleDeploymentReport } from '../helpers/sample-deployment.js';
import { editable, sampleReport, type DeepMutable } from '../helpers/sample-report.js';

const valid = (r: DeepMutable<Report> | Report): Report => validateReport(JSON.parse(JSON.stringify(r)), 'r.json');

/** The same run on another machine: every deployment figure twice as slow. */
function slower(r: DeepMutable<Report>): DeepMutable<Report> {
  const other = structuredClone(r);
  other.env = { ...other.env, cpuModel: 'Neoverse-N1', cpuFlags: [], threads: 4 };
  for (const v of other.variants) {
    const real = v.state === 'completed' ? v.deployment?.realInputs?.[0] : undefined;
    if (real?.state === 'measured') real.meanMs *= 2;
  }
  return other;
}

function writeReports(...reports: Array<DeepMutable<Report> | Report>): string[] {
  const dir = tempDir();
  return reports.map((r, i) => {
    const file = path.join(dir, `r${i}.json`);
    fs.writeFileSync(file, JSON.stringify(r));
    return file;
  });
}

describe('deployment figures in a report', () => {
  it('are optional fields of schema version 2, checked like every other (closed objects, units, states)', () => {
    valid(sampleDeploymentReport());
    const r = sampleDeploymentReport();
    (r.deployment?.load as { inputs: string }).inputs = 'made-up';
    assert.throws(() => valid(r), /\/deployment\/load\/inputs must be one of "real-inputs", "grid-first-point"/);
    const s = sampleDeploymentReport();
    const v = s.variants[0];
    if (v?.state === 'completed') (v.deployment?.coldStart?.[0] as Record<string, unknown>).downloadMs = 3;
    assert.throws(() => valid(s), /\/variants\/0\/deployment\/coldStart\/0: unknown property "downloadMs"/);
    const t = sampleDeploymentReport();
    const tuned = t.variants[0]?.state === 'completed' ? t.variants[0].deployment?.tuned?.[0] : undefined;
    if (tuned?.state === 'measured') tuned.chosen = { ...tuned.chosen, executionMode: 'eager' as 'parallel' };
    assert.throws(() => valid(t), /\/variants\/0\/deployment\/tuned\/0\/chosen\/executionMode must be one of "sequential", "parallel"/);
  });

  it('report.md and report.html show grid and real-input cost side by side, cold start with its parts, the load table and the tuned sessions', () => {
    const r = valid(sampleDeploymentReport());
    const md = renderMarkdown(r);
    assert.match(md, /### Cost per request: the fixed grid and the real inputs/);
    assert.match(md, /\| variant \| device \| grid b1 s128: mean \/ p50 \/ p99 \(ms\) \| real inputs: mean \/ p50 \/ p99 \(ms\) \| grid ÷ real \(mean\) \|/);
    assert.match(md, /\| bert\/fp32 \| cpu \| 3\.16 \/ 3\.10 \/ 3\.97 \| 1\.03 \/ 0\.981 \/ 1\.65 \| 3\.06× \|/);
    assert.match(md, /\| tokens per row \| bert \(rows\) \| albert \(rows\) \|/);
    assert.match(md, /### Cold start[\s\S]*\| variant \| device \| total \(ms, median of 3\) \| spawn \(ms\) \| runtime import \(ms\) \| read file from the OS cache \(ms\) \|/);
    assert.match(md, /### Under load \(cpu\)[\s\S]*\| bert\/fp32 \| at most \d+ requests\/s within 50\.0 ms p99 \(rounds: \d+(, \d+)*\) \| 2 workers × 1 thread \| 1 worker × 2 threads: \d+\/s \|/);
    assert.match(md, /Which served more: 2 workers × 1 thread for 5 of 5 variant\(s\)\./);
    assert.match(md, /### Tuned sessions\n\nPer variant and device, .* Every setting was timed in 2 selection rounds .* a separate set of 2 measurement rounds/);
    assert.match(md, /\| bert\/fp32 \| cpu \| 1 thread, graph basic, sequential \| the fastest of 2, beyond noise of the default \| 2\.54 \/ 3\.30 \| 3\.10 \| 0\.558 ms \(18\.0%\) faster, beyond noise 0\.050 ms \|/);
    assert.match(md, /\| bert\/fp32-optimized \| cpu \| 2 threads, graph all, sequential \| default kept: the fastest of 2 \(1 thread, graph basic, sequential\) was within noise of it \| [^|]+ \| [^|]+ \| — \(the default\) \|/);
    assert.match(md, /\| bert\/int8-dynamic \| cpu \| .* \| tie: 0\.010 ms \(0\.5%\) faster, within noise 0\.050 ms \|/);
    const html = renderHtml(r);
    for (const title of ['Cost per request: the fixed grid and the real inputs', 'Cold start', 'Under load (cpu)', 'Tuned sessions']) {
      assert.ok(html.includes(`<section class="deployment"><h2>${title}</h2>`), title);
    }
  });

  it('escapes a model id from a file in every deployment section', () => {
    const r = sampleDeploymentReport();
    r.models[0]!.id = 'b|e<r>t';
    for (const v of r.variants) if (v.model === 'bert') { v.model = 'b|e<r>t'; v.id = `b|e<r>t/${v.variant}`; }
    r.recommendation.variantIds = [];
    r.deployment!.realInputs!.samples[0]!.model = 'b|e<r>t';
    const md = renderMarkdown(valid(r));
    assert.doesNotMatch(md, /b\|e<r>t/);
    assert.match(md, /b\\\|e\\<r\\>t\/fp32 \| cpu \|/);
    assert.doesNotMatch(renderHtml(valid(r)), /<r>/);
  });

  it('report.csv gains the deployment columns, filled on the rows of the device that measured them', () => {
    const r = valid(sampleDeploymentReport());
    const [header, ...rows] = parseCsv(renderCsv(r));
    assert.deepEqual(header?.slice(-3), ['load_pool', 'load_p99_bound_ms', 'deployment_note']);
    const bertFp32 = rows.filter((row) => row[header?.indexOf('variant_id') ?? -1] === 'bert/fp32');
    assert.equal(bertFp32.length, 2, 'one row per grid point');
    const cell = (name: string) => bertFp32[0]?.[header?.indexOf(name) ?? -1];
    assert.equal(cell('real_inputs_mean_ms'), '1.033');
    assert.match(cell('cold_start_parts_ms') ?? '', /^spawn=41\.5 runtime-import=63\.25 read-file=9\.57671 create-session=88\.5 first-run=9\.75$/);
    assert.equal(cell('load_pool'), '2x1');
  });

  it('merge carries each environment\'s figures into the matrix, and the first environment\'s to the top level', () => {
    const a = sampleDeploymentReport();
    const merged = mergeReports([{ report: a as Report, name: 'a.json' }, { report: slower(a) as Report, name: 'b.json' }]);
    valid(merged);
    const cells = merged.matrix?.cells.filter((c) => c.variantId === 'bert/fp32') ?? [];
    const mean = (d: (typeof cells)[number]['deployment']) => { const c = d?.realInputs?.[0]; return c?.state === 'measured' ? c.meanMs : NaN; };
    assert.deepEqual(cells.map((c) => mean(c.deployment)), [1.033, 2.066]);
    const top = merged.variants[0];
    assert.equal(top?.state === 'completed' ? mean(top.deployment) : NaN, 1.033);
    assert.deepEqual(merged.deployment, a.deployment);
    const without = editable(sampleReport());
    assert.throws(() => mergeReports([{ report: a as Report, name: 'a.json' }, { report: without as Report, name: 'c.json' }]),
      /deployment measurements: a\.json has \{"coldStart".*, c\.json has none/);
  });

  it('regress does not gate on them, and says so', () => {
    const [baseline, current] = writeReports(sampleDeploymentReport(), slower(sampleDeploymentReport()));
    const { result, markdown } = runRegress({ baselineFile: baseline ?? '', currentFile: current ?? '', thresholds: DEFAULT_THRESHOLDS, accept: [] });
    assert.ok(result.checks.every((c) => c.status !== 'fail'), 'twice the real-input cost fails no check');
    assert.match(markdown, /Both reports have deployment figures \(real-input cost, cold start, throughput under load, tuned sessions\); regress does not gate on them/);
  });

  it('a report without them reads, renders, merges and regresses as before: no deployment field, column, section or note anywhere', () => {
    const plain = sampleReport();
    const [file] = writeReports(plain);
    const read = readReport(file ?? '');
    assert.deepEqual(read, JSON.parse(JSON.stringify(plain)));
    const merged = mergeReports([{ report: read, name: 'a.json' }, { report: slower(editable(read)) as Report, name: 'b.json' }]);
    assert.equal(JSON.stringify(merged).includes('deployment'), false);
    assert.doesNotMatch(renderMarkdown(merged) + renderHtml(merged) + renderCsv(merged), /real inputs|real_inputs|Cold start|cold_start|Under load|Tuned sessions/);
    const { result, markdown } = runRegress({ baselineFile: file ?? '', currentFile: file ?? '', thresholds: DEFAULT_THRESHOLDS, accept: [] });
    assert.deepEqual(result.warnings, []);
    assert.doesNotMatch(markdown, /deployment/);
  });
});
