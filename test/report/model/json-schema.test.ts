import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AlbenchError, ReportError } from '../../../src/errors.js';
import { readReport } from '../../../src/report/read-report.js';
import { REPORT_JSON_SCHEMA, reportJsonSchema, validateReport } from '../../../src/report/model/json-schema.js';
import { reportJson } from '../../../src/report/model/report-json.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';
import { editable, sampleReport, versionOneReport, type DeepMutable } from '../../helpers/sample-report.js';
import type { Report } from '../../../src/report/model/types.js';
import { schemaFieldNames } from '../../helpers/schema-fields.js';

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

describe('report schema v2', () => {
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
    assert.match(rejection((r) => { (r as { schemaVersion: number }).schemaVersion = 3; }), /schemaVersion 3 is not supported; this albench reads versions 1 and 2/);
  });

  it('requires each completed variant\'s predictions, lined up with gold values', () => {
    assert.match(rejection((r) => { delete (r.variants[0] as { predictions?: unknown }).predictions; }), /\/variants\/0: missing property "predictions"/);
    assert.match(rejection((r) => { completed(r, 2).predictions!.labels!.pop(); }), /\/variants\/2\/predictions has 872 rows but 871 values/);
    assert.match(rejection((r) => { completed(r, 2).predictions!.scores = [0.5]; }), /\/variants\/2\/predictions must have exactly one of labels and scores/);
    assert.match(rejection((r) => { completed(r, 2).predictions!.rows[0] = 5000; }), /\/variants\/2\/predictions row 5000 has no gold value in \/gold/);
    assert.match(rejection((r) => { (r.claims[0] as { verdict: string }).verdict = 'tie'; }), /\/claims\/0\/verdict must be one of .*"indistinguishable"/);
  });

  it('report.json keeps arrays of numbers on one line and reads back unchanged', () => {
    const text = reportJson(sampleReport());
    assert.match(text, /^ {8}"labels": \[0,1,0,1,0,1,/m);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(sampleReport())));
    assert.ok(text.split('\n').length < 1000, `${text.split('\n').length} lines`);
  });
});

function completed(r: DeepMutable<Report>, i: number) {
  const v = r.variants[i];
  if (v?.state !== 'completed') throw new Error(`variant ${i} is not completed`);
  return v;
}

describe('report schema v1, still read', () => {
  it('a version-1 report validates against the version-1 schema', () => {
    assert.equal(validateReport(JSON.parse(JSON.stringify(versionOneReport())), 'v1.json').schemaVersion, 1);
  });

  it('version-2 fields are unknown to version 1', () => {
    const r = versionOneReport();
    completed(r, 0).predictions = { rows: [0], labels: [1] };
    assert.throws(() => validateReport(JSON.parse(JSON.stringify(r)), 'v1.json'), /\/variants\/0: unknown property "predictions"/);
    assert.equal(reportJsonSchema(1).title, 'albench report, schema version 1');
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
    const fields = schemaFieldNames(REPORT_JSON_SCHEMA);
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
