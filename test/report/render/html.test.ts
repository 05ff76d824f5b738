import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtml } from '../../../src/report/render/html.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

const html = renderHtml(sampleReport());
const count = (re: RegExp, text = html) => text.match(re)?.length ?? 0;

describe('renderHtml', () => {
  it('is one self-contained file: no URL, script, stylesheet link or external resource', () => {
    assert.match(html, /^<!doctype html>\n<html lang="en">/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
  });

  it('draws two inline SVG charts, accuracy vs size and vs latency', () => {
    assert.equal(count(/<svg\b/g), 2);
    assert.equal(count(/<\/svg>/g), 2);
    assert.match(html, /<title id="accuracy-vs-size-title">accuracy vs file size<\/title>/);
    assert.match(html, /<title id="accuracy-vs-latency-title">accuracy vs latency \(p50 at b1 s128\)<\/title>/);
    assert.match(html, />ONNX file size \(MB\)<\/text>/);
    assert.match(html, />latency, p50 at b1 s128 \(ms\)<\/text>/);
  });

  it('marks the Pareto front in each chart: a line and ringed points', () => {
    const [size, latency] = html.split('<svg').slice(1);
    // Size: albert/int8-dynamic alone (albert/fp32 is no more accurate beyond noise, and larger); latency adds bert/int8-dynamic (fastest).
    assert.equal(count(/class="pareto"/g, size), 1);
    assert.equal(count(/class="pareto"/g, latency), 2);
    assert.equal(count(/class="pareto-front"/g), 1, 'a line needs two ringed points: the latency chart only');
    assert.match(size ?? '', /font-weight="600"[^>]*>albert\/int8-dynamic</);
    assert.doesNotMatch(size ?? '', /font-weight="600"[^>]*>albert\/fp32</);
  });

  it('labels every point and gives each model its own marker', () => {
    const [size] = html.split('<svg').slice(1);
    for (const id of ['albert/fp32', 'albert/int8-dynamic', 'bert/int8-dynamic']) assert.match(size ?? '', new RegExp(`>${id}</text>`));
    // Identical figures share one label instead of printing over each other.
    assert.match(size ?? '', />bert\/fp32, bert\/fp32-optimized<\/text>/);
    assert.equal(count(/<circle class="marker"/g, size), 3 + 1, 'bert: circles (3 points, 1 in the legend)');
    assert.equal(count(/<rect class="marker"/g, size), 2 + 1, 'albert: squares');
  });

  it('has the tables, the failed variant, the recommendation, the claims and the environment', () => {
    // Per model, accuracy and size in one table and latency and memory in another (neither needs sideways scrolling); the claims.
    assert.equal(count(/<table>/g), 2 * 2 + 1);
    assert.equal(count(/<h3>Accuracy and size<\/h3>/g), 2);
    assert.equal(count(/<h3>Latency and memory<\/h3>/g), 2);
    assert.match(html, /<th>Δ accuracy \(points, paired test\)<\/th><\/tr><\/thead>/);
    assert.match(html, /<tr class="failed"><td>fp32-optimized<\/td><td colspan="6">failed: BAD_ONNX: /);
    assert.match(html, /<tr class="failed"><td>fp32-optimized<\/td><td colspan="5">failed: BAD_ONNX: /);
    assert.match(html, /★ Pareto set: <strong>albert\/int8-dynamic<\/strong>, <strong>bert\/int8-dynamic<\/strong>/);
    assert.match(html, /<td class="verdict-not-supported">not supported<\/td>/);
    assert.match(html, /<h2>Environment<\/h2><p>Intel\(R\) Xeon\(R\)/);
  });

  it('still draws both charts, empty, when no variant completed', () => {
    const r = editable(sampleReport());
    r.variants = r.variants.filter((v) => v.state === 'failed');
    r.recommendation = { kind: 'no-fit', variantIds: [], reason: 'No variant completed.' };
    const out = renderHtml(r);
    assert.equal(count(/<svg\b/g, out), 2);
    assert.equal(count(/no completed variant has these figures/g, out), 2);
    assert.doesNotMatch(out, /NaN|Infinity/);
  });

  it('escapes report text everywhere, charts included', () => {
    const r = editable(sampleReport());
    r.models[0]!.id = 'b<i>ert"&';
    r.models[0]!.source = '<script>alert(1)</script>';
    for (const v of r.variants) if (v.model === 'bert') { v.model = 'b<i>ert"&'; v.id = `b<i>ert"&/${v.variant}`; }
    r.recommendation.variantIds = [];
    const out = renderHtml(r);
    assert.doesNotMatch(out, /<script>|<i>/);
    assert.match(out, /b&lt;i&gt;ert&quot;&amp;\/int8-dynamic/);
    assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
