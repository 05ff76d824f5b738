import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { deploymentEstimateLine, deploymentRequest } from '../../src/cli/deployment-flags.js';
import { COMPARE_DEFAULTS } from '../../src/compare/compare.js';
import { DEPLOYMENT_DEFAULTS } from '../../src/compare/deployment-request.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const root = tempDir();

function compare(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'compare', 'bert', '--cache', path.join(root, 'cache'), '--reports', path.join(root, 'reports'), ...args],
    { encoding: 'utf8' });
}

describe('compare --deployment flags', () => {
  it('refuses a setting of a measurement not asked for, and --load off the CPU, before any work (exit 2)', () => {
    const bandwidth = compare('--bandwidth', '10');
    assert.equal(bandwidth.status, 2);
    assert.match(bandwidth.stderr, /--bandwidth applies to the cold start: add --cold-start or --deployment/);
    const bound = compare('--cold-start', '--p99-bound', '20');
    assert.equal(bound.status, 2);
    assert.match(bound.stderr, /--p99-bound applies to the load test: add --load or --deployment/);
    const wasm = compare('--load', '--device', 'wasm');
    assert.equal(wasm.status, 2);
    assert.match(wasm.stderr, /--load serves requests on the CPU .*add cpu to --device/);
  });

  it('--deployment turns --tune on with the others; --tune alone asks for the tuning only', () => {
    const flags = { bandwidth: 50, p99Bound: 50 };
    const none = () => false;
    assert.deepEqual(Object.keys(deploymentRequest({ ...flags, deployment: true }, none) ?? {}), ['realInputs', 'coldStart', 'load', 'tune']);
    assert.deepEqual(deploymentRequest({ ...flags, tune: true }, none), { tune: DEPLOYMENT_DEFAULTS.tune });
    assert.deepEqual(DEPLOYMENT_DEFAULTS.tune, { selectionRounds: 2, measurementRounds: 2 });
    assert.equal(deploymentRequest(flags, none), undefined);
  });

  it('says before it starts roughly how long the deployment measurements add, from what they will run', () => {
    const line = deploymentEstimateLine({
      deployment: DEPLOYMENT_DEFAULTS, models: ['bert', 'albert'], variants: COMPARE_DEFAULTS.variants, devices: ['cpu'],
      rounds: COMPARE_DEFAULTS.rounds, stop: COMPARE_DEFAULTS.stop,
    });
    assert.match(line ?? '',
      /^deployment measurements: \d+ real-input process\(es\), 18 cold start\(s\), \d+ load run\(s\) of about \d+ steps of 2 s, \d+ tuning process\(es\): about \d+ min more/);
    assert.equal(deploymentEstimateLine({ models: ['bert'], variants: ['fp32'], stop: COMPARE_DEFAULTS.stop }), undefined);
  });
});
