import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('albench compare exit codes', () => {
  const root = tempDir();
  const cache = path.join(root, 'cache');
  const reports = path.join(root, 'reports');
  const quick = ['--variants', 'fp32', '--limit', '8', '--seq', '16', '--time', '0', '--warmup', '1', '--quiet', '--cache', cache, '--reports', reports];

  it('a model given by absolute path and one that never resolves: the report is written and lists the failure, exit 1', () => {
    const hub = { HF_HUB_OFFLINE: '1', HF_HUB_CACHE: path.join(root, 'hf'), HF_HOME: path.join(root, 'hf-home') };
    const r = run(['compare', path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini'), 'nobody/missing-model', ...quick], hub);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /nobody\/missing-model\/fp32 +FAILED: /);
    const dir = path.join(reports, 'bert-sst2-mini-vs-nobody_missing-model');
    assert.match(fs.readFileSync(path.join(dir, 'report.md'), 'utf8'), /### Failures \(1 of 2 variants\)\n\n- \*\*nobody\/missing-model\/fp32\*\*: HUB: /);
    assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /<li><strong>nobody\/missing-model\/fp32<\/strong>: HUB: /);
    assert.match(fs.readFileSync(path.join(dir, 'report.csv'), 'utf8'), /nobody\/missing-model\/fp32,.*HUB,/);
  });

  it('--no-transformers-js leaves the check out: no transformers.js field or column, where a default run has them', () => {
    const withCheck = JSON.parse(fs.readFileSync(path.join(reports, 'bert-sst2-mini-vs-nobody_missing-model', 'report.json'), 'utf8'));
    assert.equal(withCheck.variants[0].transformersJs.state, 'agrees');
    const r = run(['compare', 'bert', '--no-transformers-js', '--name', 'no-tjs', ...quick]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(reports, 'no-tjs', 'report.json'), 'utf8'));
    assert.equal(report.variants[0].state, 'completed');
    assert.equal('transformersJs' in report.variants[0], false);
    assert.equal('latencyByDevice' in report.variants[0], false, 'one device: its timing is the variant\'s own latency, not a per-device list');
    assert.doesNotMatch(fs.readFileSync(path.join(reports, 'no-tjs', 'report.md'), 'utf8'), /transformers\.js/);
  });

  it('a mistyped bundled name: exit 2 at once, suggesting the name, nothing converted', () => {
    const r = run(['compare', 'bret', '--cache', path.join(root, 'unused-cache'), '--reports', reports]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'error: model "bret" is not a bundled model (bert, albert), an existing folder, or a Hugging Face id (org/name); did you mean bert?\n');
    assert.equal(fs.existsSync(path.join(root, 'unused-cache', 'convert')), false);
  });

  it('bad usage is exit 2 with one line naming the flag', () => {
    const cases: Array<[string[], RegExp]> = [
      [['bert', 'bert'], /^error: models: "bert" is given twice\n$/],
      [['bert', '--min-accuracy', '150'], /^error: --min-accuracy 150: give a percentage from 0 to 100\n$/],
      [['bert', '--limit', '0'], /^error: --limit 0: give a whole number of examples, 1 or more\n$/],
      [['bert', '--cache', '/dev/null'], /^error: --cache \/dev\/null: cannot write there/],
    ];
    for (const [args, stderr] of cases) {
      const r = run(['compare', ...args, '--reports', reports, ...(args.includes('--cache') ? [] : ['--cache', cache])]);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, stderr);
    }
  });

  it('cache verify names a damaged entry and exits 1; prune moves it to the trash; list shows what is left', () => {
    const list = run(['cache', 'list', '--cache', cache]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^convert +[0-9a-f]{16} +\d+\.\d\d MB +\d+\.\d h +current code$/m);
    const evalDir = path.join(cache, 'eval');
    const [key] = fs.readdirSync(evalDir);
    assert.ok(key);
    fs.writeFileSync(path.join(evalDir, key, 'result.json'), '{');
    const verify = run(['cache', 'verify', '--cache', cache]);
    assert.equal(verify.status, 1);
    assert.match(verify.stdout, new RegExp(`^damaged: eval ${key} \\(.*\\): result\\.json has 1 bytes, \\d+ when stored$`, 'm'));
    // Entries used in the last --unused-for minutes (default 60) are spared: this one was used by the compare just run.
    assert.match(run(['cache', 'prune', '--cache', cache]).stdout, /^0 entries moved to the trash; /m);
    const prune = run(['cache', 'prune', '--cache', cache, '--unused-for', '0']);
    assert.equal(prune.status, 0, prune.stderr);
    assert.match(prune.stdout, new RegExp(`^moved to the trash: eval ${key}: damaged: `, 'm'));
    assert.equal(run(['cache', 'verify', '--cache', cache]).status, 0);
  });
});
