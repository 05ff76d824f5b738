import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import { renderCsv } from '../../../src/report/render/csv.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { validateReport } from '../../../src/report/model/json-schema.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { mergeReports } from '../../../src/report/merge/merge.js';
import type { Report } from '../../../src/report/model/types.js';
import { parseCsv } from '../../helpers/csv.js';
import { editable, sampleReport, type DeepMutable } from '../../helpers/sample-report.js';

const SHA = (c: string) => c.repeat(64);

/** The sample report with a file digest per variant, as compare now records it. */
function measured(): DeepMutable<Report> {
  const r = editable(sampleReport());
  r.variants.forEach((v, i) => { if (v.state === 'completed') v.fileSha256 = SHA('abcdef'[i] ?? '0'); });
  return r;
}

/** The same run on an ARM machine without AVX, every latency 1.5x and memory 10% higher. */
function onArm(r: DeepMutable<Report>): DeepMutable<Report> {
  const arm = structuredClone(r);
  arm.env = { ...arm.env, cpuModel: 'Neoverse-N1', cpuFlags: [], threads: 4 };
  for (const v of arm.variants) {
    if (v.state !== 'completed') continue;
    v.latency = v.latency.map((p) => ({ ...p, p50Ms: p.p50Ms * 1.5, meanMs: p.meanMs * 1.5, roundP50sMs: p.roundP50sMs.map((x) => x * 1.5) }));
    const grow = (bytes: number) => Math.round(bytes * 1.1);
    v.memory = { peakRssAfterLoadBytes: grow(v.memory.peakRssAfterLoadBytes), peakRssAfterRunsBytes: grow(v.memory.peakRssAfterRunsBytes) };
  }
  return arm;
}

const inputs = (...reports: Array<DeepMutable<Report>>) => reports.map((report, i) => ({ report: report as Report, name: `r${i}.json` }));

function refusal(reports: Array<DeepMutable<Report>>, pattern: RegExp): void {
  assert.throws(() => mergeReports(inputs(...reports)), (e: unknown) => e instanceof UsageError && pattern.test(e.message));
}

describe('albench merge: a hardware matrix', () => {
  it('merges two environments into one schema-valid report with a latency table per environment', () => {
    const x86 = measured();
    const merged = mergeReports(inputs(x86, onArm(x86)), new Date('2026-12-01T00:00:00Z'));
    validateReport(JSON.parse(JSON.stringify(merged)), 'merged');
    const m = merged.matrix;
    assert.ok(m);
    assert.equal(m.environments.length, 2);
    assert.equal(m.recommendations.length, 2);
    const bert = m.cells.filter((c) => c.variantId === 'bert/fp32');
    assert.equal(bert.length, 2);
    assert.ok(Math.abs((bert[1]?.latency[0]?.p50Ms ?? 0) - 1.5 * (bert[0]?.latency[0]?.p50Ms ?? 0)) < 1e-9);
    assert.ok(m.accuracy.length > 0 && m.accuracy.every((a) => a.agrees), 'same files, same predictions');
    assert.deepEqual(m.latencyNotComparable, []);
    // The top level is the first environment's, so single-machine renderers and regress read it as before.
    assert.deepEqual(merged.env, x86.env);

    const md = renderMarkdown(merged);
    assert.match(md, /### Hardware matrix \(2 environments\)/);
    assert.match(md, /\| variant \| E1 p50 ms \(b1 s128\) \| E1 peak RSS MB \| E2 p50 ms \(b1 s128\) \| E2 peak RSS MB \|/);
    assert.match(md, /E2: Neoverse-N1 · CPUExecutionProvider, 4 threads/);
    assert.match(md, /\*\*Recommendation per environment\*\*/);
    const html = renderHtml(merged);
    assert.match(html, /<section class="matrix"><h2>Hardware matrix \(2 environments\)<\/h2>/);
    assert.match(html, /<th>E2 p50 ms \(b1 s128\)<\/th>/);
  });

  it('flags a variant file that predicts differently in another environment: a runtime that computes differently', () => {
    const x86 = measured();
    const arm = onArm(x86);
    const v = arm.variants.find((r) => r.id === 'bert/int8-dynamic');
    assert.ok(v?.state === 'completed' && v.predictions?.labels);
    v.predictions.labels[0] = 1 - (v.predictions.labels[0] ?? 0);
    const m = mergeReports(inputs(x86, arm)).matrix;
    const check = m?.accuracy.find((a) => a.variantId === 'bert/int8-dynamic');
    assert.equal(check?.agrees, false);
    assert.match(check?.detail ?? '', /same file, different results: a runtime that computes differently \(environment 1: 1 of \d+ predictions differ/);
    assert.match(renderMarkdown(mergeReports(inputs(x86, arm))), /DISAGREES: bert\/int8-dynamic/);
    const rows = csvRecords(mergeReports(inputs(x86, arm))).filter((r) => r.variant_id === 'bert/int8-dynamic');
    assert.deepEqual(rows.map((r) => r.env_note === ''), [true, true, false, false], "E2's rows say their accuracy is E1's");
    assert.match(rows[2]?.env_note ?? '', /^accuracy figures are E1's, and the accuracy check found this variant differs across environments/);
  });

  it('says when the environments measured different files', () => {
    const x86 = measured();
    const arm = onArm(x86);
    const v = arm.variants.find((r) => r.id === 'bert/fp32');
    assert.ok(v?.state === 'completed');
    v.fileSha256 = SHA('9');
    const check = mergeReports(inputs(x86, arm)).matrix?.accuracy.find((a) => a.variantId === 'bert/fp32');
    assert.equal(check?.agrees, false);
    assert.match(check?.detail ?? '', /different files/);
  });
});

/** Also timed on wasm, three times slower than on the CPU. */
function withWasm(r: DeepMutable<Report>): DeepMutable<Report> {
  r.env.devices = [{ device: 'cpu', runtime: 'onnxruntime-node 1.30.0', threads: 2 }, { device: 'wasm', runtime: 'onnxruntime-web 1.30.0', threads: 2 }];
  for (const v of r.variants) {
    if (v.state !== 'completed') continue;
    const wasm = v.latency.map((p) => ({ ...p, p50Ms: p.p50Ms * 3 }));
    v.latencyByDevice = [{ device: 'cpu', state: 'timed', latency: v.latency, memory: v.memory }, { device: 'wasm', state: 'timed', latency: wasm, memory: v.memory }];
  }
  return r;
}

/** The merged CSV's rows as records by column name. */
function csvRecords(report: Report): Array<Record<string, string>> {
  const [header = [], ...rows] = parseCsv(renderCsv(report));
  return rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? ''])));
}

describe('albench merge: report.csv has every environment', () => {
  it('a row per variant, environment and grid point, each with its own environment\'s p50 and memory', () => {
    const x86 = measured();
    const arm = onArm(x86);
    arm.env.cpuModel = '=HYPERLINK("http://evil/")';
    const merged = mergeReports(inputs(x86, arm));
    const rows = csvRecords(merged);
    assert.equal(rows.length, 2 * (5 * 2 + 1), 'both environments: 5 completed variants at 2 grid points, 1 failed');
    for (const [env, report] of [['E1', x86], ['E2', arm]] as const) {
      for (const v of report.variants) {
        const mine = rows.filter((r) => r.env === env && r.variant_id === v.id);
        if (v.state === 'failed') {
          assert.deepEqual(mine.map((r) => r.state), ['failed']);
          continue;
        }
        assert.deepEqual(mine.map((r) => Number(r.p50_ms)), v.latency.map((p) => p.p50Ms), `${env} ${v.id}`);
        assert.ok(mine.every((r) => Number(r.peak_rss_after_runs_bytes) === v.memory.peakRssAfterRunsBytes));
        assert.ok(mine.every((r) => r.metric_value_fraction === String(v.metrics[0]?.value)), 'accuracy is the run\'s own');
      }
    }
    assert.match(rows.find((r) => r.env === 'E1')?.env_label ?? '', /^Intel\(R\) Xeon\(R\) Platinum 8370C .* · CPUExecutionProvider, 2 threads/);
    // The label is text from a file: a spreadsheet must not run it.
    assert.match(rows.find((r) => r.env === 'E2')?.env_label ?? '', /^'=HYPERLINK\("http:\/\/evil\/"\) · CPUExecutionProvider, 4 threads/);
    assert.equal(rows.find((r) => r.env === 'E1' && r.state === 'failed')?.error_code, 'BAD_ONNX');
    assert.match(rows.find((r) => r.env === 'E2' && r.state === 'failed')?.env_note ?? '', /failed in this environment/);
  });

  it("each environment's devices get their own rows, and latencies measured at once say so", () => {
    const x86 = withWasm(measured());
    const merged = mergeReports(inputs(x86, withWasm(onArm(x86))));
    validateReport(JSON.parse(JSON.stringify(merged)), 'merged');
    const wasm = csvRecords(merged).filter((r) => r.variant_id === 'bert/fp32' && r.device === 'wasm' && r.batch_size === '1');
    const p50 = x86.variants[0]?.state === 'completed' ? (x86.variants[0].latency[0]?.p50Ms ?? 0) * 3 : 0;
    assert.deepEqual(wasm.map((r) => r.env), ['E1', 'E2']);
    assert.ok(Math.abs(Number(wasm[1]?.p50_ms) - 1.5 * p50) < 1e-9 && Math.abs(Number(wasm[0]?.p50_ms) - p50) < 1e-9);

    const shards = [0, 1].map((index) => {
      const s = measured();
      s.variants = s.variants.filter((_, i) => Math.floor((i * 2) / 6) === index);
      s.models = s.models.filter((m) => s.variants.some((v) => v.model === m.id));
      s.shard = { index, count: 2, models: ['bert', 'albert'], startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T00:01:00Z', machine: 'a'.repeat(16) };
      return s;
    });
    const atOnce = csvRecords(mergeReports(inputs(...shards)));
    assert.equal(atOnce.length, 5 * 2 + 1);
    assert.ok(atOnce.every((r) => r.env === 'E1' && /^latency not comparable: shard 0\/2, shard 1\/2 ran at the same time/.test(r.env_note ?? '')));
  });
});

describe('albench merge: refusals name the difference', () => {
  it('refuses another task, subset, grid, variant set, warm-up or constraints', () => {
    const a = measured();
    const edits: Array<[(r: DeepMutable<Report>) => void, RegExp]> = [
      [(r) => { r.settings.task = 'cola'; }, /task: r0\.json has sst2, r1\.json has cola/],
      [(r) => { r.settings.subset = { kind: 'limit', limit: 100 }; }, /subset: r0\.json has the full dev set, r1\.json has the first 100 dev examples/],
      [(r) => { r.settings.batchSizes = [1]; }, /grid: r0\.json has b1 s128, b8 s128, r1\.json has b1 s128/],
      [(r) => { r.settings.variants = ['fp32']; }, /variant set: r0\.json has fp32, fp32-optimized, int8-dynamic, r1\.json has fp32/],
      [(r) => { r.settings.warmupIterations = 5; }, /warm-up runs: r0\.json has 20, r1\.json has 5/],
      [(r) => { r.settings.constraints = { maxSizeBytes: 1e6 }; }, /constraints: r0\.json has \[\], r1\.json has \[\["maxSizeBytes",1000000\]\]/],
    ];
    for (const [edit, pattern] of edits) {
      const b = onArm(a);
      edit(b);
      refusal([a, b], pattern);
    }
  });

  it('refuses a model label that is another checkpoint, and other dev data', () => {
    const a = measured();
    const b = onArm(a);
    const bert = b.models.find((m) => m.id === 'bert');
    assert.ok(bert);
    bert.sourceDigest = SHA('7');
    bert.source = 'folder: bert';
    refusal([a, b], /model bert: r0\.json has models\/bert-sst2-mini, r1\.json has another checkpoint \(folder: bert\)/);
    const c = onArm(a);
    assert.ok(c.gold?.labels);
    c.gold.labels[0] = 1 - (c.gold.labels[0] ?? 0);
    refusal([a, c], /dev data: r0\.json and r1\.json scored different rows or gold labels/);
  });

  it('refuses a variant measured twice in one environment, and a missing shard', () => {
    const a = measured();
    refusal([a, structuredClone(a)], /bert\/fp32 is in both r0\.json and r1\.json/);
    const shards = [0, 1, 2].map((index) => {
      const s = measured();
      s.variants = s.variants.filter((_, i) => Math.floor((i * 3) / 6) === index);
      s.models = s.models.filter((m) => s.variants.some((v) => v.model === m.id));
      const window = { startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T00:01:00Z', machine: 'a'.repeat(16) };
      s.shard = { index, count: 3, models: ['bert', 'albert'], ...window };
      return s;
    });
    refusal([shards[0] as DeepMutable<Report>, shards[2] as DeepMutable<Report>], /shard 1\/3 missing/);
    const whole = mergeReports(inputs(...shards));
    assert.deepEqual(whole.variants.map((v) => v.id), a.variants.map((v) => v.id));
    assert.equal(whole.matrix?.latencyNotComparable.length, 1, 'three shards at once on one machine');
    const atOnce = /^Judged on accuracy and size only: latency is not comparable here \(shard 0\/3, shard 1\/3, shard 2\/3 ran at the same time/;
    assert.match(whole.recommendation.reason, atOnce);
  });
});
