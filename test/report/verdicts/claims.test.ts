import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { albertClaims } from '../../../src/report/verdicts/claims.js';
import type { LatencyPoint, Report } from '../../../src/report/model/types.js';
import { latencyPoint, sampleReport, editable, samplePredictions, type DeepMutable } from '../../helpers/sample-report.js';

const verdicts = (claims: ReturnType<typeof albertClaims>) => Object.fromEntries(claims.map((c) => [c.id, c.verdict]));

/** The completed variant at `index`, asserted to be the expected one (the test fails rather than passing silently). */
function completedAt(r: DeepMutable<Report>, index: number, id: string) {
  const v = r.variants[index];
  assert.equal(v?.id, id);
  assert.equal(v?.state, 'completed');
  if (v?.state !== 'completed') throw new Error(`${id} is not completed`);
  return v;
}

describe('albertClaims', () => {
  it('the bundled pair (both hidden 128, 4 layers): storage claims hold, compute and speed do not', () => {
    const claims = albertClaims(sampleReport());
    assert.deepEqual(verdicts(claims), {
      'fewer-params': 'supported', 'smaller-files': 'supported', 'less-compute': 'not supported', 'faster-inference': 'not supported', 'as-accurate': 'supported',
    });
    const [params, files, compute, speed, accuracy] = claims;
    assert.match(params?.evidence ?? '', /ALBERT 1,195,778 vs BERT 4,782,722 \(0\.25x\).*like for like: both hidden 128, 4 layers/);
    assert.match(files?.evidence ?? '', /ALBERT 4\.80 MB vs BERT 19\.15 MB/);
    assert.match(compute?.evidence ?? '', /ALBERT 0\.236 GFLOP vs BERT 0\.235 GFLOP \(1\.00x\): sharing layers saves storage, not compute/);
    assert.match(speed?.evidence ?? '', /ALBERT 3\.18 ms vs BERT 3\.10 ms \(1\.03x\)/);
    // The sample's albert/fp32 is right on rows 0-702, bert/fp32 on 0-689: 13 discordant rows, all ALBERT's; p = 2 * 0.5^13.
    assert.match(accuracy?.evidence ?? '', /ALBERT 80\.62 vs BERT 79\.13 \(n=872\); 13 of 872 predictions differ \(McNemar p = 2\.4e-4\), a real difference/);
  });

  it('faster only counts beyond the runs\' margin of error', () => {
    const r = editable(sampleReport());
    const albertFp32 = completedAt(r, 3, 'albert/fp32');
    albertFp32.latency[0] = latencyPoint(1, 3.09, 0.21, 1000, 235_962_880);
    assert.equal(verdicts(albertClaims(r))['faster-inference'], 'indistinguishable');
    assert.match(albertClaims(r)[3]?.evidence ?? '', /the difference is within the noise, ±0\.0\d+ ms/);
    albertFp32.latency[0] = latencyPoint(1, 2.5, 0.21, 1000, 235_962_880);
    assert.equal(verdicts(albertClaims(r))['faster-inference'], 'supported');
  });

  it('faster only counts beyond the between-round spread', () => {
    const r = editable(sampleReport());
    // 2.9 vs 3.1 ms is far beyond either run's margin of error (~0.013 ms), but the rounds' p50s spread over 0.3 ms.
    const withSpread = (p: LatencyPoint, spreadMs: number) => ({ ...p, spreadMs, roundP50sMs: [...p.roundP50sMs] });
    completedAt(r, 3, 'albert/fp32').latency[0] = withSpread(latencyPoint(1, 2.9, 0.21, 1000, 235_962_880), 0.3);
    completedAt(r, 0, 'bert/fp32').latency[0] = withSpread(latencyPoint(1, 3.1, 0.21, 1000, 234_914_304), 0.1);
    const speed = albertClaims(r)[3];
    assert.equal(speed?.verdict, 'indistinguishable');
    assert.match(speed?.evidence ?? '', /ALBERT 2\.90 ms vs BERT 3\.10 ms \(0\.94x; the difference is within the noise, ±0\.300 ms/);
    completedAt(r, 3, 'albert/fp32').latency[0] = withSpread(latencyPoint(1, 2.9, 0.21, 1000, 235_962_880), 0.15);
    assert.equal(albertClaims(r)[3]?.verdict, 'supported');
  });

  it('accuracy one example apart is a tie, and says how many predictions differ', () => {
    const r = editable(sampleReport());
    // ALBERT right on one row fewer than BERT (689 vs 690): one discordant row, McNemar p = 1.
    completedAt(r, 3, 'albert/fp32').predictions = samplePredictions(689);
    const accuracy = albertClaims(r)[4];
    assert.equal(accuracy?.verdict, 'indistinguishable');
    assert.match(accuracy?.evidence ?? '', /ALBERT and BERT are indistinguishable in accuracy: 1 of 872 predictions differs \(McNemar p = 1\.00\)/);
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
    assert.deepEqual(verdicts(albertClaims(r)), {
      'fewer-params': 'supported', 'smaller-files': 'not measured', 'less-compute': 'not measured', 'faster-inference': 'not measured', 'as-accurate': 'not measured',
    });
    const noBert = albertClaims({ models: r.models.filter((m) => m.modelType === 'albert'), variants: [] });
    assert.ok(noBert.every((c) => c.verdict === 'not measured' && c.evidence === 'The report has no BERT model to compare.'));
  });
});
