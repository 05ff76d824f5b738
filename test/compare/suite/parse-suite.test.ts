import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseSuiteText, readSuiteFile, suiteFromFlags } from '../../../src/compare/suite/parse-suite.js';
import { UsageError } from '../../../src/errors.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function problems(text: string, file = 'suite.yaml'): string[] {
  try {
    parseSuiteText(text, file);
  } catch (e) {
    assert.ok(e instanceof UsageError);
    return e.message.split('\n').slice(1).map((l) => l.trim());
  }
  assert.fail('the suite was accepted');
}

describe('suite files', () => {
  it('the hub example names textattack\'s BERT and ALBERT checkpoint for each of its nine GLUE dev sets', () => {
    const suite = readSuiteFile(path.join(REPO_ROOT, 'examples', 'suite-hub.yaml'));
    assert.deepEqual(suite.tasks.map((t) => t.task.id), ['cola', 'sst2', 'mrpc', 'stsb', 'qqp', 'mnli-matched', 'mnli-mismatched', 'qnli', 'rte']);
    assert.deepEqual(suite.families.map((f) => f.name), ['bert', 'albert']);
    assert.equal(suite.families[0]?.models[1], 'textattack/bert-base-uncased-SST-2');
    assert.equal(suite.families[1]?.models[3], 'textattack/albert-base-v2-STS-B');
    assert.deepEqual(suite.tasks[4]?.subset, { kind: 'sample', size: 2000, seed: 0 });
    assert.deepEqual(suite.variants, ['fp32', 'int8-dynamic']);
  });

  it('the bundled example is SST-2 on the two bundled models', () => {
    const suite = readSuiteFile(path.join(REPO_ROOT, 'examples', 'suite-bundled.yaml'));
    assert.deepEqual(suite.families.map((f) => [f.name, ...f.models]), [['bert', 'bert'], ['albert', 'albert']]);
    assert.equal(suite.name, 'suite-bundled');
  });

  it('JSON is read as the YAML it is', () => {
    const suite = parseSuiteText('{\n  "tasks": {"sst2": {"limit": 10}, "stsb": "all"},\n  "families": {"bert": {"sst2": "a", "stsb": "b"}}\n}\n', 's.json');
    assert.deepEqual(suite.tasks.map((t) => [t.task.id, t.subset.kind]), [['sst2', 'limit'], ['stsb', 'all']]);
    assert.deepEqual(problems('{\n  "tasks": {"sst2": "all"},\n  "families": {"bert": {"sst2": "a", "cola": "b"}}\n}\n', 's.json'),
      ['s.json:3: family bert: task cola is not in the suite\'s tasks']);
  });

  it('every problem is reported at once, each with its line', () => {
    const text = [
      'variants: [fp32, int9]',
      'tasks:',
      '  sst2: all',
      '  mnli: all',
      '  mrpc: { limit: 0 }',
      'colour: red',
      'families:',
      '  bert: { sst2: a }',
      '  al bert: { sst2: a, mrpc: b }',
    ].join('\n');
    const found = problems(text);
    assert.deepEqual(found.map((p) => p.split(':').slice(0, 2).join(':')),
      ['suite.yaml:1', 'suite.yaml:4', 'suite.yaml:5', 'suite.yaml:6', 'suite.yaml:8', 'suite.yaml:9']);
    assert.match(found[0] ?? '', /unknown variant "int9"; choose from fp32/);
    assert.match(found[1] ?? '', /MNLI has two dev sets: name mnli-m/);
    assert.match(found[2] ?? '', /task mrpc: give all, \{ limit: N \}/);
    assert.match(found[3] ?? '', /unknown field "colour"/);
    assert.match(found[4] ?? '', /family bert: no checkpoint for mrpc/);
    assert.match(found[5] ?? '', /family "al bert": use letters/);
  });

  it('a YAML syntax error names its line; a duplicate key is refused', () => {
    assert.match(problems('tasks:\n  sst2: all\nfamilies: [\n')[0] ?? '', /^suite\.yaml:\d+: /);
    assert.match(problems('tasks:\n  sst2: all\n  sst2: all\nfamilies:\n  bert: { sst2: a }\n')[0] ?? '', /^suite\.yaml:3: /);
  });

  it('the command-line form: --task a,b --family name=<a ckpt>,<b ckpt>', () => {
    const suite = suiteFromFlags('sst2,MRPC', ['bert=bert,x/bert-mrpc', 'albert=albert,x/albert-mrpc'], { kind: 'all' });
    assert.deepEqual(suite.tasks.map((t) => t.task.id), ['sst2', 'mrpc']);
    assert.deepEqual(suite.families, [{ name: 'bert', models: ['bert', 'x/bert-mrpc'] }, { name: 'albert', models: ['albert', 'x/albert-mrpc'] }]);
    assert.throws(() => suiteFromFlags('sst2,mrpc', ['bert=bert'], { kind: 'all' }),
      /--family bert=bert: give 2 checkpoint\(s\), one per --task \(sst2,mrpc\)/);
    assert.throws(() => suiteFromFlags('sst2', ['bert'], { kind: 'all' }), /write <name>=<checkpoint per task>/);
    assert.throws(() => suiteFromFlags('sst2', ['b=bert', 'b=albert'], { kind: 'all' }), /b is named twice/);
  });

  it('albench compare --suite with a bad file exits 2 before any work, naming file and line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'tasks:\n  sst2: all\nfamilies:\n  bert: { sst2: no-such-model }\n');
    const args = ['compare', '--suite', file, '--reports', path.join(dir, 'r'), '--cache', path.join(dir, 'c')];
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /model "no-such-model" is not a bundled model/);
    const bad = path.join(dir, 'worse.yaml');
    fs.writeFileSync(bad, 'tasks:\n  sst3: all\nfamilies: {}\n');
    const r2 = spawnSync(process.execPath, [CLI, 'compare', '--suite', bad], { encoding: 'utf8' });
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /worse\.yaml:2: unknown GLUE task 'sst3'/);
    assert.equal(fs.existsSync(path.join(dir, 'c')), false);
  });
});
