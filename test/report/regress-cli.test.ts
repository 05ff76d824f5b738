import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/model/types.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { editable, latencyPoint, samplePredictions, sampleReport, versionOneReport, type DeepMutable } from '../helpers/sample-report.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const dir = tempDir();
const baseline = path.join(dir, 'baseline.json');
fs.writeFileSync(baseline, JSON.stringify(sampleReport(), null, 2));

function currentWith(name: string, edit: (r: DeepMutable<Report>) => void): string {
  const r = editable(sampleReport());
  edit(r);
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(r));
  return file;
}

function regress(current: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const { GITHUB_STEP_SUMMARY: _inherited, ...parentEnv } = process.env;
  return spawnSync(process.execPath, [CLI, 'regress', '--baseline', baseline, '--current', current, ...extra], { encoding: 'utf8', env: { ...parentEnv, ...env } });
}

const bertFp32At = (p50Ms: number, stdevMs: number, samples = 1000) => (r: DeepMutable<Report>) => {
  const v = r.variants[0];
  if (v?.state === 'completed') v.latency[0] = latencyPoint(1, p50Ms, stdevMs, samples, v.latency[0]?.flops ?? 0);
};

describe('albench regress', () => {
  it('within thresholds: exit 0 and the Markdown summary on stdout', () => {
    const r = regress(currentWith('same', () => undefined));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^### albench regress: no regressions in 6 variants/);
    assert.equal(r.stderr, '');
  });

  it('an accuracy drop: exit 1', () => {
    const r = regress(currentWith('acc', (c) => {
      const v = c.variants[3];
      if (v?.state === 'completed') v.metrics[0]!.value = 0.79;
    }));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /\| albert\/fp32 \| ok: completed in both runs \| FAIL: accuracy 80\.62 → 79\.00/);
  });

  it('latency: slower in every round exits 1, rounds that overlap the baseline\'s 0; the threshold is a flag', () => {
    assert.equal(regress(currentWith('slow', bertFp32At(3.6, 0.21))).status, 1);
    const overlapping = (r: DeepMutable<Report>) => {
      bertFp32At(3.6, 0.21)(r);
      const v = r.variants[0];
      if (v?.state === 'completed') v.latency[0] = { ...v.latency[0]!, roundP50sMs: [3.0, 3.6, 3.65], spreadMs: 0.65 };
    };
    assert.equal(regress(currentWith('noisy', overlapping)).status, 0);
    assert.equal(regress(path.join(dir, 'slow.json'), ['--max-latency-increase', '20']).status, 0);
  });

  it('bad input: exit 2 with one line naming the file', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"schemaVersion": 1, "variants": [');
    const r = regress(broken);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: .*broken\.json: is not valid JSON \(.*\)\n$/);
    assert.equal(r.stdout, '');

    const invalid = currentWith('invalid', (c) => { (c.variants[0] as { sizeBytes: unknown }).sizeBytes = 'big'; });
    assert.equal(regress(invalid).stderr, `error: ${invalid}: /variants/0/sizeBytes must be integer (see docs/report-schema.md)\n`);
    assert.equal(regress(path.join(dir, 'absent.json')).status, 2);
    assert.equal(regress(invalid, ['--max-accuracy-drop', 'lots']).status, 2);
  });

  it('--junit writes the XML; GITHUB_STEP_SUMMARY gets the summary appended', () => {
    const junit = path.join(dir, 'junit.xml');
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const r = regress(path.join(dir, 'slow.json'), ['--junit', junit], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.status, 1);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="albench regress" tests="24" failures="1"/);
    assert.equal(xml.match(/<testcase /g)?.length, xml.match(/<\/testcase>/g)?.length);
    assert.equal(fs.readFileSync(summary, 'utf8'), `# earlier step\n${r.stdout}\n`);
  });

  it('reports of different tasks: exit 2 naming the task, even with a 30-point drop; --accept task compares them', () => {
    const other = currentWith('cola', (c) => {
      c.settings.task = 'cola';
      const v = c.variants[3];
      if (v?.state === 'completed') v.metrics[0]!.value = 0.5;
    });
    const r = regress(other);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: the reports are not comparable: task: baseline sst2, current cola; pass --accept task to compare them anyway\n$/);
    const accepted = regress(other, ['--accept', 'task']);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.match(accepted.stdout, /accepted difference of task: baseline sst2, current cola/);
    assert.equal(regress(other, ['--accept', 'colour']).status, 2);
  });

  it('a version-1 baseline: the "needs version 2" note, and the thresholds still gate', () => {
    const v1 = path.join(dir, 'v1.json');
    fs.writeFileSync(v1, JSON.stringify(versionOneReport()));
    const run = (current: string) => spawnSync(process.execPath, [CLI, 'regress', '--baseline', v1, '--current', current], { encoding: 'utf8' });
    const same = run(currentWith('same-v2', () => undefined));
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /without paired statistics: a version-1 report/);
    assert.match(same.stdout, /paired statistics \(McNemar test, paired bootstrap\) need report schema version 2/);
    const dropped = run(currentWith('acc-v2', (c) => {
      const v = c.variants[3];
      if (v?.state === 'completed') v.metrics[0]!.value = 0.79;
    }));
    assert.equal(dropped.status, 1);
  });

  it('an output that cannot be written is bad input too (exit 2), not a regression', () => {
    const r = regress(path.join(dir, 'same.json'), ['--junit', path.join(dir, 'no-such-folder', 'junit.xml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /junit\.xml: cannot be written \(ENOENT\)/);
  });

  it('--margin: exit 0 when the drop\'s interval is below it, 1 above, 3 when it straddles; INCONCLUSIVE is a JUnit error', () => {
    /** bert/int8-dynamic with `lost` more of fp32's right rows wrong than the baseline's. */
    const dropped = (lost: number) => currentWith(`lost-${lost}`, (c) => {
      const v = c.variants[2];
      if (v?.state !== 'completed') return;
      v.predictions = samplePredictions(690, 7 + lost, 4);
      v.metrics[0]!.value = (687 - lost) / 872;
    });
    assert.equal(regress(dropped(0), ['--margin', '1']).status, 0);
    const fail = regress(dropped(30), ['--margin', '1']);
    assert.equal(fail.status, 1, fail.stdout);
    assert.match(fail.stdout, /FAIL: accuracy 78\.78 → 75\.34: drop 3\.44 points, 95% CI .*, above the margin of 1 point/);
    const junit = path.join(dir, 'margin.xml');
    const unsure = regress(dropped(10), ['--margin', '1', '--junit', junit]);
    assert.equal(unsure.status, 3, unsure.stdout);
    assert.match(unsure.stdout, /INCONCLUSIVE: accuracy 78\.78 → 77\.64: .*across the margin of 1 point: about \d+ more rows would decide it/);
    assert.match(fs.readFileSync(junit, 'utf8'), /<error message="accuracy 78\.78 → 77\.64: [^"]*" type="inconclusive">/);
    assert.doesNotMatch(fs.readFileSync(junit, 'utf8'), /<skipped message="accuracy 78\.78/);
    // A FAIL elsewhere (latency) outranks the INCONCLUSIVE.
    const slowAndUnsure = currentWith('slow-unsure', (c) => {
      bertFp32At(3.6, 0.21)(c);
      const v = c.variants[2];
      if (v?.state === 'completed') v.predictions = samplePredictions(690, 17, 4);
    });
    assert.equal(regress(slowAndUnsure, ['--margin', '1']).status, 1);
  });

  it('--margin is refused with --max-accuracy-drop (it replaces that rule), and must be above 0', () => {
    const both = regress(path.join(dir, 'same.json'), ['--margin', '1', '--max-accuracy-drop', '2']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--margin.*cannot be used with.*--max-accuracy-drop/);
    assert.equal(regress(path.join(dir, 'same.json'), ['--margin', '0']).status, 2);
  });
});

