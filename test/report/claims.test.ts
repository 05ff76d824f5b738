import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { albertClaims } from '../../src/report/claims.js';
import { latencyPoint, sampleReport, editable } from '../helpers/sample-report.js';

const verdicts = (claims: ReturnType<typeof albertClaims>) => Object.fromEntries(claims.map((c) => [c.id, c.verdict]));

describe('albertClaims', () => {
  it('the bundled pair (both hidden 128, 4 layers): storage claims hold, compute and speed do not', () => {
    const claims = albertClaims(sampleReport());
    assert.deepEqual(verdicts(claims), { 'fewer-params': 'supported', 'smaller-files': 'supported', 'less-compute': 'not supported', 'faster-inference': 'not supported' });
    const [params, files, compute, speed] = claims;
    assert.match(params?.evidence ?? '', /ALBERT 1,195,778 vs BERT 4,782,722 \(0\.25x\).*like for like: both hidden 128, 4 layers/);
    assert.match(files?.evidence ?? '', /ALBERT 4\.80 MB vs BERT 19\.15 MB/);
    assert.match(compute?.evidence ?? '', /ALBERT 0\.236 GFLOP vs BERT 0\.235 GFLOP \(1\.00x\): sharing layers saves storage, not compute/);
    assert.match(speed?.evidence ?? '', /ALBERT 3\.18 ms vs BERT 3\.10 ms \(1\.03x\)/);
  });

  it('faster only counts beyond the runs\' noise', () => {
    const r = editable(sampleReport());
    const albertFp32 = r.variants[3];
    assert.equal(albertFp32?.id, 'albert/fp32');
    if (albertFp32?.state !== 'completed') return;
    albertFp32.latency[0] = latencyPoint(1, 3.09, 0.21, 1000, 235_962_880);
    assert.equal(verdicts(albertClaims(r))['faster-inference'], 'not supported');
    assert.match(albertClaims(r)[3]?.evidence ?? '', /within the runs' combined margin of error/);
    albertFp32.latency[0] = latencyPoint(1, 2.5, 0.21, 1000, 235_962_880);
    assert.equal(verdicts(albertClaims(r))['faster-inference'], 'supported');
  });

  it('says when the pair is not like for like', () => {
    const r = editable(sampleReport());
    r.models[1]!.hiddenSize = 768;
    r.models[1]!.layers = 12;
    assert.match(albertClaims(r)[0]?.evidence ?? '', /not like for like: ALBERT albert is hidden 768 x 12 layers, BERT bert hidden 128 x 4 layers/);
  });

  it('not measured when figures are missing', () => {
    const r = editable(sampleReport());
    r.variants = r.variants.filter((v) => v.variant !== 'fp32');
    assert.deepEqual(verdicts(albertClaims(r)), { 'fewer-params': 'supported', 'smaller-files': 'not measured', 'less-compute': 'not measured', 'faster-inference': 'not measured' });
    const noBert = albertClaims({ models: r.models.filter((m) => m.modelType === 'albert'), variants: [] });
    assert.ok(noBert.every((c) => c.verdict === 'not measured' && c.evidence === 'The report has no BERT model to compare.'));
  });
});
