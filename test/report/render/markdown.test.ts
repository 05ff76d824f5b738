import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

const md = renderMarkdown(sampleReport());
const row = (variantCell: string): string[] => {
  const line = md.split('\n').find((l) => l.startsWith(`| ${variantCell} |`));
  assert.ok(line, `no row for ${variantCell}`);
  return line.slice(2, -2).split(' | ');
};

describe('renderMarkdown', () => {
  it('one table per model with the header units', () => {
    assert.match(md, /### bert — bert, hidden 128, embedding 128, 4 layers, 1 group \(models\/bert-sst2-mini\)/);
    assert.match(md, /### albert — albert, hidden 128, embedding 32, 4 layers, 1 group/);
    assert.equal(md.match(/^\| variant \| size \(MB\) \| params unique \/ executed \| accuracy \(95% CI\), n \| agreement with fp32 \| p50 \/ p99 \(ms\) b1 s128 \| p50 \/ p99 \(ms\) b8 s128 \| peak RSS \(MB\) \| Δ size vs fp32 \| Δ p50 b1 s128 \| Δ p50 b8 s128 \| Δ accuracy \(points, paired test\) \|$/gm)?.length, 2);
  });

  it('rows carry the figures, and deltas against the same model\'s fp32', () => {
    assert.deepEqual(row('fp32'), ['fp32', '19.15', '4,782,722 / 4,782,722', '79.13 (76.4–81.8), n=872', '100.00%', '3.10 / 3.97', '21.4 / 27.4', '121.5', 'reference', 'reference', 'reference', 'reference']);
    // bert/int8-dynamic against bert/fp32: 5.02 vs 19.15 MB, 1.92 vs 3.10 ms, 78.78 vs 79.13; 7 rows lost and 4 won,
    // so McNemar p = 2 * (1 + 11 + 55 + 165 + 330) / 2^11 = 0.549.
    assert.deepEqual(row('int8-dynamic ★').slice(8), ['-73.8%', '-38.1%', '-44.9%', '-0.34 (McNemar p = 0.55, a tie)']);
    const albertInt8 = md.split('\n').filter((l) => l.startsWith('| int8-dynamic ★ |'))[1];
    // albert: 8 lost, 4 won: p = 2 * (1 + 12 + 66 + 220 + 495) / 2^12 = 0.388.
    assert.match(albertInt8 ?? '', /\| 1\.38 \| 1,195,778 \/ 1,790,594 \| .* \| -71\.3% \| -35\.5% \| -42\.5% \| -0\.46 \(McNemar p = 0\.39, a tie\) \|$/);
  });

  it('a failed variant keeps its row, with its error', () => {
    assert.match(md, /^\| fp32-optimized \| failed: BAD\\_ONNX: reports\/\.cache\/albert\/fp32-optimized\.onnx: onnxruntime rejected the optimized graph .* to skip it \|$/m);
  });

  it('the recommendation, the claims and the environment', () => {
    assert.match(md, /### Recommendation\n\n★ Pareto set: \*\*albert\/int8-dynamic\*\*, \*\*bert\/int8-dynamic\*\*\n\nWith no constraints given, 2 variants are Pareto-optimal/);
    assert.match(md, /Differences within noise count as ties: albert\/fp32 and albert\/int8-dynamic are indistinguishable in accuracy/);
    assert.match(md, /^\| ALBERT is as accurate as BERT \| supported \| fp32 accuracy: ALBERT 80\.62 vs BERT 79\.13/m);
    assert.match(md, /### ALBERT claims, tested\n\n\| claim \| verdict \| evidence \|/);
    assert.match(md, /^\| ALBERT needs less compute \| not supported \| FLOPs per run at b1 s128/m);
    assert.match(md, /### Environment\n\nIntel\(R\) Xeon\(R\) Platinum 8370C CPU @ 2\.80GHz \(avx2, avx512f, avx512\\_vnni\) · 2 logical cores · .* · onnxruntime 1\.30\.0 on cpu \(CPUExecutionProvider, 2 threads\) · albench 0\.1\.0 · 2026-11-25T22:57:14\.000Z/);
  });

  it('report text cannot break the table or inject HTML', () => {
    const r = editable(sampleReport());
    const failed = r.variants[4];
    assert.equal(failed?.state, 'failed');
    if (failed?.state === 'failed') failed.error.message = 'a | b <img src=x>\nnext line';
    const out = renderMarkdown(r);
    assert.match(out, /a \\\| b \\<img src=x\\> next line \|$/m);
    assert.doesNotMatch(out, /(^|[^\\])<img/m);
  });

  it('no deltas when a model\'s fp32 failed', () => {
    const r = editable(sampleReport());
    r.variants[0] = { id: 'bert/fp32', model: 'bert', variant: 'fp32', state: 'failed', error: { code: 'IO', message: 'disk full' } };
    const out = renderMarkdown(r);
    assert.match(out, /bert has no completed fp32 variant, so there are no deltas\./);
    assert.match(out, /^\| int8-dynamic ★ \| 5\.02 \| .* \| — \| — \| — \| — \|$/m);
  });
});
