import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { csvField, renderCsv } from '../../../src/report/render/csv.js';
import type { Report } from '../../../src/report/model/types.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';
import { parseCsv } from '../../helpers/csv.js';
import { REPO_ROOT } from '../../helpers/paths.js';

/**
 * The sample report timed on cpu, wasm and browser-webgpu, with a transformers.js check and a name a
 * spreadsheet would run: every kind of row a plain (unmerged) report.csv has.
 */
function deviceReport(): Report {
  const r = editable(sampleReport());
  r.env.devices = [
    { device: 'cpu', runtime: 'onnxruntime-node 1.30.0', threads: 2 },
    { device: 'wasm', runtime: 'onnxruntime-web 1.30.0', threads: 2 },
    { device: 'browser-webgpu', runtime: 'onnxruntime-web 1.30.0 in Chromium 140.0', threads: 2 },
  ];
  r.variants.forEach((v, i) => {
    if (v.state !== 'completed') return;
    const wasm = i === 2
      ? { device: 'wasm' as const, state: 'unsupported' as const, op: 'QAttention', message: 'no kernel' }
      : { device: 'wasm' as const, state: 'timed' as const, latency: v.latency.map((p) => ({ ...p, p50Ms: p.p50Ms * 3 })), memory: v.memory };
    const webgpu = i === 0
      ? { device: 'browser-webgpu' as const, state: 'failed' as const, error: 'page crashed, "twice"' }
      : { device: 'browser-webgpu' as const, state: 'unavailable' as const, reason: 'no adapter' };
    v.latencyByDevice = [{ device: 'cpu', state: 'timed', latency: v.latency, memory: v.memory }, wasm, webgpu];
    v.transformersJs = { state: 'agrees', dtype: 'q8', agreement: 20, examples: 20 };
  });
  const [first] = r.variants;
  if (first !== undefined) first.model = '=SUM(A1)';
  return r as Report;
}

describe('renderCsv', () => {
  it('one row per variant per grid point, one for a failed variant', () => {
    const [header, ...rows] = parseCsv(renderCsv(sampleReport()));
    assert.equal(rows.length, 5 * 2 + 1);
    for (const r of rows) assert.equal(r.length, header?.length);
    assert.ok(header?.includes('size_bytes') && header.includes('p50_ms') && header.includes('rme_percent') && header.includes('metric_value_fraction') && header.includes('peak_rss_after_runs_bytes'));
    const at = (r: string[] | undefined, col: string) => r?.[header?.indexOf(col) ?? -1];
    const b8 = rows.find((r) => at(r, 'variant_id') === 'bert/int8-dynamic' && at(r, 'batch_size') === '8');
    assert.equal(at(b8, 'p50_ms'), '11.8');
    assert.equal(at(b8, 'size_bytes'), '5021304');
    assert.equal(at(b8, 'metric_value_fraction'), '0.78784');
    const failed = rows.find((r) => at(r, 'state') === 'failed');
    assert.equal(at(failed, 'variant_id'), 'albert/fp32-optimized');
    assert.equal(at(failed, 'error_code'), 'BAD_ONNX');
    assert.equal(at(failed, 'p50_ms'), '');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and they read back intact', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    const r = editable(sampleReport());
    const message = 'line one, with "quotes"\r\nline two';
    const failed = r.variants[4];
    if (failed?.state === 'failed') failed.error.message = message;
    const [header, ...rows] = parseCsv(renderCsv(r));
    assert.equal(rows.length, 11);
    assert.equal(rows.find((row) => row.includes('failed'))?.[header?.indexOf('error_message') ?? -1], message);
  });

  it("a plain report's CSV matches the pinned snapshot from before the env columns, plus empty env columns at the end", () => {
    // plain-report.csv is a pinned snapshot: renderCsv's own output for this same deviceReport(), saved before the env
    // columns existed. It catches an unintended change to renderCsv; it is not a compatibility check, since no reader of
    // report.csv (a spreadsheet, a script) is run against it here. A deliberate change of columns rewrites the snapshot.
    const before = fs.readFileSync(path.join(REPO_ROOT, 'test', 'report', 'render', 'plain-report.csv'), 'utf8');
    const [header, ...rows] = before.slice(0, -2).split('\r\n');
    const expected = [`${header},env,env_label,env_note`, ...rows.map((row) => `${row},,,`)].map((line) => `${line}\r\n`).join('');
    assert.equal(renderCsv(deviceReport()), expected);
  });
});
