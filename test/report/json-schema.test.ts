import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AlbenchError, ReportError } from '../../src/errors.js';
import { readReport } from '../../src/report/read-report.js';
import { REPORT_JSON_SCHEMA, validateReport } from '../../src/report/json-schema.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { editable, sampleReport } from '../helpers/sample-report.js';

/** Runs validateReport on an edited sample and returns the error message it must throw. */
function rejection(edit: (r: ReturnType<typeof editable>) => void): string {
  const r = editable(sampleReport());
  edit(r);
  try {
    validateReport(JSON.parse(JSON.stringify(r)), 'old/report.json');
  } catch (e) {
    assert.ok(e instanceof ReportError, `expected ReportError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail('the edited report was accepted');
}

describe('report schema v1', () => {
  it('accepts the sample report (the TypeScript types and the JSON Schema agree)', () => {
    const report = sampleReport();
    assert.equal(validateReport(JSON.parse(JSON.stringify(report)), 'sample.json').variants.length, 6);
  });

  it('names the file, the JSON pointer and the problem', () => {
    assert.equal(rejection((r) => { (r.variants[0] as { sizeBytes: number }).sizeBytes = -1; }), 'old/report.json: /variants/0/sizeBytes must be >= 0 (see docs/report-schema.md)');
    assert.match(rejection((r) => { delete (r.env as Partial<typeof r.env>).cpuModel; }), /^old\/report\.json: \/env: missing property "cpuModel"/);
    assert.match(rejection((r) => { (r.variants[3] as Record<string, unknown>).sizeMB = 4.8; }), /\/variants\/3: unknown property "sizeMB"/);
    assert.match(rejection((r) => { (r.variants[1] as { state: string }).state = 'skipped'; }), /\/variants\/1\/state is missing or not one of the known kinds/);
    assert.match(rejection((r) => { (r.settings as { variants: string[] }).variants = ['int3']; }), /\/settings\/variants\/0 must be one of "fp32", "fp32-optimized"/);
    assert.match(rejection((r) => { (r.variants[0] as { latency: { p50Ms: unknown }[] }).latency[0]!.p50Ms = '3.1'; }), /\/variants\/0\/latency\/0\/p50Ms must be number/);
    assert.match(rejection((r) => { r.createdAt = 'yesterday'; }), /\/createdAt must match pattern/);
  });

  it('rejects a NaN figure, which JSON turns into null', () => {
    assert.match(rejection((r) => { (r.variants[0] as { metrics: { value: number }[] }).metrics[0]!.value = NaN; }), /\/variants\/0\/metrics\/0\/value must be number/);
  });

  it('says which schema versions it reads', () => {
    assert.match(rejection((r) => { (r as { schemaVersion: number }).schemaVersion = 2; }), /schemaVersion 2 is not supported; this albench reads version 1/);
  });

  it('checks what JSON Schema cannot: ids unique, id = model/variant, models and recommendations exist', () => {
    assert.match(rejection((r) => { r.variants[1]!.id = 'bert/fp32'; }), /\/variants\/1\/id must be "bert\/fp32-optimized"/);
    assert.match(rejection((r) => { r.variants.push(structuredClone(r.variants[0]!)); }), /\/variants\/6\/id "bert\/fp32" appears twice/);
    assert.match(rejection((r) => { r.variants[0]!.model = 'roberta'; r.variants[0]!.id = 'roberta/fp32'; }), /\/variants\/0\/model "roberta" is not in \/models/);
    assert.match(rejection((r) => { r.recommendation.variantIds = ['gpt/fp32']; }), /\/recommendation\/variantIds\/0 "gpt\/fp32" is not in \/variants/);
  });

  it('rejects what is not an object at all', () => {
    assert.throws(() => validateReport([], 'a.json'), /^.*a\.json: \(top level\) must be object/);
    assert.throws(() => validateReport(null, 'a.json'), ReportError);
  });
});

describe('docs/report-schema.md', () => {
  it('documents every field of the schema', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'report-schema.md'), 'utf8');
    const fields = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (typeof node === 'object' && node !== null) {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'properties') Object.keys(v as object).forEach((f) => fields.add(f));
          collect(v);
        }
      }
    };
    collect(REPORT_JSON_SCHEMA);
    const missing = [...fields].filter((f) => !doc.includes(`\`${f}`));
    assert.deepEqual(missing, []);
  });
});

describe('readReport', () => {
  it('reads and validates a file', () => {
    const file = path.join(tempDir(), 'report.json');
    fs.writeFileSync(file, JSON.stringify(sampleReport()));
    assert.equal(readReport(file).settings.task, 'sst2');
  });

  it('unreadable and malformed files are ReportErrors naming the file', () => {
    const dir = tempDir();
    assert.throws(() => readReport(path.join(dir, 'missing.json')), (e: unknown) => e instanceof AlbenchError && /missing\.json: cannot be read \(ENOENT\)/.test(e.message));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"schemaVersion": 1,');
    assert.throws(() => readReport(bad), /bad\.json: is not valid JSON/);
  });
});
