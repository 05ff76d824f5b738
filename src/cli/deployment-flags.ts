import type { Command } from 'commander';
import { poolShapes } from '../bench/deployment/load.js';
import { sessionCandidates } from '../bench/deployment/session-candidates.js';
import { readCpuInfo } from '../bench/env.js';
import { longestTimeMs, timingSettings } from '../bench/runtime-settings.js';
import { COMPARE_DEFAULTS, type CompareOptions } from '../compare/compare.js';
import { realInputTimeMs } from '../compare/compare-options.js';
import { DEPLOYMENT_DEFAULTS, deploymentEstimate, type DeploymentRequest } from '../compare/deployment-request.js';
import { UsageError } from '../errors.js';
import { nonNegative } from './options.js';

/** compare's deployment flags (docs/deployment.md, "What a deployment costs"), as commander parses them. */
export interface DeploymentFlags {
  deployment?: boolean; realInputs?: boolean; coldStart?: boolean; load?: boolean; tune?: boolean; bandwidth: number; p99Bound: number;
}

const { realInputs, coldStart, load, tune } = DEPLOYMENT_DEFAULTS;

export function addDeploymentOptions(command: Command): Command {
  return command
    .option('--deployment', 'also measure what a deployment costs: --real-inputs, --cold-start, --load and --tune together (adds minutes; never cached)')
    .option('--real-inputs', `time each variant at ${realInputs.sampleSize} of the scored rows, each at its own token count (batch 1, no padding)`)
    .option('--cold-start', `time from a fresh process to the first prediction, ${coldStart.runs} times per variant and device, with its parts`)
    .option('--load', 'serve each variant on the CPU under rising open-loop (Poisson) load until p99 passes --p99-bound: its throughput')
    .option('--tune', 'try session settings per device (threads 1 or one per core, graph optimisation basic or all, sequential or parallel;'
      + ` on wasm the threads): choose on ${tune.selectionRounds} rounds, report the chosen and its gain over the default from ${tune.measurementRounds} more`)
    .option('--bandwidth <Mbit/s>', 'the connection a browser target downloads the model over, for --cold-start (a typical home connection)',
      nonNegative('--bandwidth'), coldStart.bandwidthMbitPerSecond)
    .option('--p99-bound <ms>', 'the p99 latency --load must stay within', nonNegative('--p99-bound'), load.p99BoundMs);
}

/** The measurements the flags ask for; undefined when none (compare then times what it always did). */
export function deploymentRequest(o: DeploymentFlags, given: (flag: 'bandwidth' | 'p99Bound') => boolean): DeploymentRequest | undefined {
  const all = o.deployment === true;
  const wanted = {
    realInputs: all || o.realInputs === true, coldStart: all || o.coldStart === true, load: all || o.load === true, tune: all || o.tune === true,
  };
  if (given('bandwidth') && !wanted.coldStart) throw new UsageError('--bandwidth applies to the cold start: add --cold-start or --deployment');
  if (given('p99Bound') && !wanted.load) throw new UsageError('--p99-bound applies to the load test: add --load or --deployment');
  if (!Object.values(wanted).includes(true)) return undefined;
  return {
    ...(wanted.realInputs ? { realInputs } : {}),
    ...(wanted.coldStart ? { coldStart: { ...coldStart, bandwidthMbitPerSecond: o.bandwidth } } : {}),
    ...(wanted.load ? { load: { ...load, p99BoundMs: o.p99Bound } } : {}),
    ...(wanted.tune ? { tune } : {}),
  };
}

/** The line compare prints before it starts when deployment measurements were asked for. */
type EstimateInputs = Pick<CompareOptions, 'deployment' | 'models' | 'variants' | 'devices' | 'browserDevices' | 'rounds' | 'stop' | 'threads'>;

export function deploymentEstimateLine(o: EstimateInputs): string | undefined {
  if (o.deployment === undefined) return undefined;
  const cores = readCpuInfo().physicalCores;
  const { runtimes } = timingSettings({ devices: o.devices ?? ['cpu'], ...(o.threads === undefined ? {} : { threads: o.threads }) }, COMPARE_DEFAULTS);
  const estimate = deploymentEstimate(o.deployment, {
    variants: o.models.length * o.variants.length, nodeDevices: o.devices?.length ?? 1, browserDevices: o.browserDevices?.length ?? 0,
    rounds: o.rounds ?? 1, realInputTimeMs: realInputTimeMs(o.stop), tuningTimeMs: longestTimeMs(o.stop), pools: poolShapes(cores).length,
    sessionCandidates: runtimes.reduce((n, r) => n + sessionCandidates(r, cores).length, 0),
  });
  return `deployment measurements: ${estimate.text} (an estimate; they run after the usual steps)`;
}
