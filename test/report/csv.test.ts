import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, renderCsv } from '../../src/report/csv.js';
import { editable, sampleReport } from '../helpers/sample-report.js';
import { parseCsv } from '../helpers/csv.js';

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
    const rows = parseCsv(renderCsv(r));
    assert.equal(rows.length, 12);
    assert.equal(rows.find((row) => row.includes('failed'))?.at(-1), message);
  });
});
