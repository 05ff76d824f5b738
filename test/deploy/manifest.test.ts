import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildManifest } from '../../src/deploy/manifest.js';
import { deploymentProblem } from '../../src/deploy/manifest-schema.js';
import type { Report } from '../../src/report/model/types.js';
import { chooseOnDevice } from '../../src/report/verdicts/target-choice.js';
import { sampleDeploymentReport } from '../helpers/sample-deployment.js';
import { editable, sampleReport } from '../helpers/sample-report.js';

function manifestFor(report: Report) {
  const choice = chooseOnDevice(report, 'cpu', { maxDropPoints: 2 });
  assert.ok(choice.kind === 'chosen', choice.reason);
  return buildManifest({
    report, reportPath: '/reports/report.json', reportSha256: 'a'.repeat(64), target: 'node', device: 'cpu', chosen: choice.chosen,
    reason: choice.reason, constraints: { maxDropPoints: 2 }, file: 'model_quantized.onnx', fileSha256: 'b'.repeat(64),
  });
}

describe('deployment.json from a report', () => {
  it('carries the cold start, real-input and under-load figures the report measured, and validates', () => {
    const report = sampleDeploymentReport() as Report;
    const m = manifestFor(report);
    assert.equal(deploymentProblem(JSON.parse(JSON.stringify(m))), null);
    const v = report.variants.find((x) => x.id === m.variant.id);
    assert.ok(v?.state === 'completed' && v.deployment !== undefined);
    const cold = v.deployment.coldStart?.find((c) => c.device === 'cpu');
    assert.equal(m.expected.coldStartMs, cold?.state === 'measured' ? cold.totalMs : undefined);
    const real = v.deployment.realInputs?.find((r) => r.device === 'cpu');
    assert.deepEqual(m.expected.realInputs, real?.state === 'measured' ? { p50Ms: real.p50Ms, p99Ms: real.p99Ms } : undefined);
    assert.ok(m.expected.underLoad !== null && m.expected.underLoad.atThroughput !== null);
    assert.equal(m.expected.underLoad.p99BoundMs, report.deployment?.load?.p99BoundMs);
    assert.ok(m.expected.underLoad.atThroughput.p99Ms <= m.expected.underLoad.p99BoundMs);
    assert.equal(m.session.transformersJs, undefined, 'node loads the file itself');
  });

  it("carries compare --tune's chosen session settings and their measured figure, when the report tuned the variant on the device", () => {
    const report = sampleDeploymentReport() as Report;
    const m = manifestFor(report);
    const v = report.variants.find((x) => x.id === m.variant.id);
    const tuned = v?.state === 'completed' ? v.deployment?.tuned?.find((t) => t.device === 'cpu') : undefined;
    assert.ok(tuned?.state === 'measured');
    const { executionProvider, settingsFrom, intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode } = m.session;
    assert.deepEqual([executionProvider, settingsFrom], ['cpu', 'tuned']);
    assert.deepEqual({ intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode }, tuned.chosen);
    assert.deepEqual(m.expected.tuned, { batchSize: 1, sequenceLength: 128, p50Ms: tuned.measured.p50Ms, p99Ms: tuned.measured.p99Ms });
  });

  it('a tuned choice its measurement rounds found slower than the default is not deployed: the settings compare timed with are', () => {
    const report = sampleDeploymentReport();
    const m0 = manifestFor(report as Report);
    const v = report.variants.find((x) => x.id === m0.variant.id);
    const tuned = v?.state === 'completed' ? v.deployment?.tuned?.find((t) => t.device === 'cpu') : undefined;
    assert.ok(tuned?.state === 'measured' && tuned.versusDefault !== null);
    tuned.versusDefault.verdict = 'slower';
    const m = manifestFor(report as Report);
    assert.equal(m.session.settingsFrom, 'timed');
    assert.deepEqual([m.session.graphOptimizationLevel, m.session.executionMode, m.session.interOpThreads], ['all', 'sequential', 1]);
    assert.equal(m.expected.tuned, null);
  });

  it('without a tuned session, carries the settings compare timed with (those albench always used, for a report that predates recording them)', () => {
    const m = manifestFor(sampleReport());
    assert.deepEqual(m.session, {
      executionProvider: 'cpu', intraOpThreads: sampleReport().env.threads, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
      settingsFrom: 'timed',
    });
    assert.equal(m.expected.tuned, null);
    const recorded = editable(sampleReport());
    recorded.env.session = { interOpThreads: 2, graphOptimizationLevel: 'basic', executionMode: 'parallel' };
    const fromEnv = manifestFor(recorded as Report);
    assert.deepEqual([fromEnv.session.graphOptimizationLevel, fromEnv.session.executionMode, fromEnv.session.interOpThreads], ['basic', 'parallel', 2]);
  });

  it('without deployment figures, says so with nulls, not invented numbers', () => {
    const m = manifestFor(sampleReport());
    assert.equal(deploymentProblem(JSON.parse(JSON.stringify(m))), null);
    assert.deepEqual([m.expected.coldStartMs, m.expected.realInputs, m.expected.underLoad], [null, null, null]);
  });

  it('a manifest with an unknown field or a bad sha256 does not validate', () => {
    const m = JSON.parse(JSON.stringify(manifestFor(sampleReport()))) as Record<string, unknown>;
    assert.match(deploymentProblem({ ...m, extra: 1 }) ?? '', /additional properties/);
    assert.match(deploymentProblem({ ...m, report: { path: 'r.json', sha256: 'xyz' } }) ?? '', /\/report\/sha256/);
  });
});
