import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCsv } from '../../../src/report/render/csv.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { timingNote } from '../../../src/report/render/timing-note.js';
import type { CompletedVariant } from '../../../src/report/model/types.js';
import { editable, SAMPLE_MEASURED_AT, sampleReport } from '../../helpers/sample-report.js';

const bertVariants = (r = sampleReport()) => r.variants.filter((v): v is CompletedVariant => v.model === 'bert' && v.state === 'completed');

describe('every latency says when, under what load, in how many rounds, and whether it was reused', () => {
  it('one line per model: rounds, the spread at each grid point, when and at what load', () => {
    const note = timingNote(bertVariants());
    assert.equal(note, 'Latency: p50 is the median of 3 round(s) per variant, each in its own process; '
      + 'spread between rounds (highest minus lowest p50) b1 s128: fp32 0.056 ms, fp32-optimized 0.049 ms, int8-dynamic 0.035 ms; '
      + 'b8 s128: fp32 0.385 ms, fp32-optimized 0.340 ms, int8-dynamic 0.212 ms. '
      + `Measured afresh by this run at ${SAMPLE_MEASURED_AT}, 1-minute load average 0.12.`);
    assert.equal(timingNote([]), undefined);
  });

  it('a reused timing is named as reused, with its own time and load', () => {
    const r = editable(sampleReport());
    const int8 = r.variants[2];
    assert.equal(int8?.id, 'bert/int8-dynamic');
    const earlier = { reused: true, measuredAt: '2026-11-20T08:00:00.000Z', loadAverage1m: 1.5 };
    if (int8?.state === 'completed') for (const p of int8.latency) Object.assign(p, earlier);
    const note = timingNote(bertVariants(r)) ?? '';
    assert.match(note, /Measured afresh by this run at 2026-11-25T22:55:02\.000Z, 1-minute load average 0\.12 \(fp32, fp32-optimized\); /);
    assert.match(note, /; reused from the cache, measured at 2026-11-20T08:00:00\.000Z, 1-minute load average 1\.50 \(int8-dynamic\)\.$/);
    assert.match(renderMarkdown(r), /\n\nLatency: p50 is the median .* reused from the cache, measured at 2026-11-20T08:00:00\.000Z/);
    assert.match(renderHtml(r), /<p class="timing">Latency: p50 is the median .* reused from the cache/);
  });

  it('report.csv carries rounds, each round\'s p50, the spread, the time, the load and reused', () => {
    const [header, ...rows] = renderCsv(sampleReport()).split('\r\n').map((l) => l.split(','));
    const row = rows.find((r) => r[2] === 'bert/fp32');
    const at = (col: string) => row?.[header?.indexOf(col) ?? -1];
    const columns = ['rounds', 'round_p50s_ms', 'spread_ms', 'measured_at', 'load_average_1m', 'reused'];
    assert.deepEqual(columns.map(at), ['3', '3.134 3.1 3.078', '0.056', SAMPLE_MEASURED_AT, '0.12', 'false']);
  });
});
