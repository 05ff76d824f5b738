import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CompareResult } from '../../src/compare/compare.js';
import { formatCompareSummary } from '../../src/compare/summary.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { editable, sampleReport } from '../helpers/sample-report.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const SPOOF = '\x1b[2K\r\x1b[32mall checks passed\x1b[0m';

describe('terminal output: names and messages from files cannot drive the terminal', () => {
  it('an error naming a folder with escapes and a CR prints as one plain line', () => {
    const dir = path.join(tempDir(), `model${SPOOF}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    const r = spawnSync(process.execPath, [CLI, 'inspect', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: .*model all checks passed\/config\.json: is not valid JSON.*\n$/);
    assert.doesNotMatch(r.stderr, /[\x1b\r]/);
  });

  it('compare\'s summary: a model name or error message from config.json stays on its line, without escapes', () => {
    const report = editable(sampleReport());
    const [first, failed] = [report.variants[0], report.variants.find((v) => v.state === 'failed')];
    if (first !== undefined) first.id = `bert${SPOOF}\n/fp32`;
    if (failed?.state === 'failed') failed.error.message = `config.json: model_type "x${SPOOF}" is unknown`;
    const text = formatCompareSummary({ report, reportDir: '/tmp/r', seconds: 1, cacheHits: 0, cacheMisses: 1 } as unknown as CompareResult);
    assert.doesNotMatch(text, /[\x1b\r\x07]/);
    assert.equal(text.split('\n').length, report.variants.length + 3);
    assert.match(text, /bert all checks passed \/fp32/);
  });
});
