import type { Device } from '../bench/schema.js';
import type { BrowserDevice } from '../browser/protocol.js';
import { UsageError } from '../errors.js';
import type { VariantDeployment } from '../report/model/types.js';

/**
 * What compare --deployment (or --real-inputs, --cold-start, --load, --tune) asks to measure beyond the
 * latency grid, with the defaults the CLI fills in. Step lengths and sample sizes are options of the
 * library only: tests shorten them; the command line keeps the documented ones.
 */
export interface DeploymentRequest {
  readonly realInputs?: { readonly sampleSize: number; readonly seed: number };
  readonly coldStart?: { readonly runs: number; readonly bandwidthMbitPerSecond: number };
  readonly load?: {
    readonly p99BoundMs: number; readonly stepMs: number; readonly rateFactor: number; readonly maxSteps: number;
    readonly rounds: number; readonly seed: number; readonly warmupRequests: number;
    /** The first rate, as a fraction of what one request at a time serves (1000 / the variant's cost in ms). */
    readonly startFraction: number;
  };
  /** Rounds of every candidate setting to choose on, then separate rounds of the chosen and the default to report (time-tuned-sessions.ts). */
  readonly tune?: { readonly selectionRounds: number; readonly measurementRounds: number };
}

/**
 * 128 rows, as the issue of real inputs asks; 3 cold starts; 2 s per rate, at least what a p99 needs
 * (~100 requests at the lowest rates); a rate 1.25x the last (a 25% resolution); 2 rounds of load, the
 * fewest that balance the order (A B, B A); 50 Mbit/s, a typical home connection. Tuning chooses on 2
 * rounds and measures on 2 more, the fewest balanced ones, kept few: every candidate runs in each selection round.
 */
export const DEPLOYMENT_DEFAULTS = {
  realInputs: { sampleSize: 128, seed: 0 },
  coldStart: { runs: 3, bandwidthMbitPerSecond: 50 },
  load: { p99BoundMs: 50, stepMs: 2000, rateFactor: 1.25, maxSteps: 30, rounds: 2, seed: 0, warmupRequests: 10, startFraction: 0.25 },
  tune: { selectionRounds: 2, measurementRounds: 2 },
} as const;

/** Fails before any work when the request cannot be honoured on these devices. */
export function checkDeploymentRequest(r: DeploymentRequest | undefined, devices: readonly Device[], browserDevices: readonly BrowserDevice[]): void {
  if (r?.load !== undefined && !devices.includes('cpu')) {
    throw new UsageError(`--load serves requests on the CPU (onnxruntime-node in worker threads), but --device names ${[...devices,
      ...browserDevices.map((d) => `browser-${d}`)].join(',')}; add cpu to --device`);
  }
  const bandwidth = r?.coldStart?.bandwidthMbitPerSecond;
  if (bandwidth !== undefined && !(bandwidth > 0 && Number.isFinite(bandwidth))) {
    const fallback = DEPLOYMENT_DEFAULTS.coldStart.bandwidthMbitPerSecond;
    throw new UsageError(`--bandwidth ${bandwidth}: give a connection speed in Mbit/s above 0 (default ${fallback})`);
  }
  for (const [name, rounds] of Object.entries(r?.tune ?? {})) {
    if (!Number.isInteger(rounds) || rounds < 2 || rounds % 2 === 1) {
      throw new UsageError(`tune.${name} ${rounds}: give an even number of rounds, 2 or more, so that every setting runs early as often as late`);
    }
  }
  const bound = r?.load?.p99BoundMs;
  if (bound !== undefined && !(bound > 0 && Number.isFinite(bound))) {
    throw new UsageError(`--p99-bound ${bound}: give milliseconds above 0 (default ${DEPLOYMENT_DEFAULTS.load.p99BoundMs})`);
  }
}

/** What the extra measurements will take, roughly, from how many processes and steps they run: printed before compare starts. */
export function deploymentEstimate(r: DeploymentRequest, counts: {
  readonly variants: number; readonly nodeDevices: number; readonly browserDevices: number; readonly rounds: number;
  /** How long a real-input child cycles through its sample, and the longest a tuning child times a candidate. */
  readonly realInputTimeMs: number; readonly tuningTimeMs: number;
  readonly pools: number;
  /** Settings --tune tries per variant, summed over the Node devices (session-candidates.ts). */
  readonly sessionCandidates: number;
}): { readonly seconds: number; readonly text: string } {
  const parts: Array<[string, number]> = [];
  // A child's start-up, session and warm-up take about a second on a small model; a browser page about three.
  if (r.realInputs !== undefined) {
    const children = counts.variants * counts.nodeDevices * counts.rounds;
    parts.push([`${children} real-input process(es)`, children * (1 + counts.realInputTimeMs / 1000)]);
  }
  if (r.coldStart !== undefined) {
    const starts = counts.variants * r.coldStart.runs;
    parts.push([`${starts * (counts.nodeDevices + counts.browserDevices)} cold start(s)`, starts * (counts.nodeDevices + 3 * counts.browserDevices)]);
  }
  if (r.load !== undefined) {
    // From a quarter of the one-at-a-time rate to past what the pool serves: about ln(4 x cores) / ln(factor) steps, plus the one over.
    const steps = Math.ceil(Math.log(4 * counts.pools) / Math.log(r.load.rateFactor)) + 1;
    const processes = counts.variants * counts.pools * r.load.rounds;
    parts.push([`${processes} load run(s) of about ${steps} steps of ${r.load.stepMs / 1000} s`, processes * (steps * r.load.stepMs / 1000 + 2)]);
  }
  if (r.tune !== undefined) {
    // Every candidate in each selection round; at most the chosen and the default in each measurement round.
    const children = counts.variants * (counts.sessionCandidates * r.tune.selectionRounds + 2 * counts.nodeDevices * r.tune.measurementRounds);
    parts.push([`${children} tuning process(es)`, children * (1 + counts.tuningTimeMs / 1000)]);
  }
  const seconds = parts.reduce((sum, [, s]) => sum + s, 0);
  return { seconds, text: `${parts.map(([what]) => what).join(', ')}: about ${Math.max(1, Math.round(seconds / 60))} min more` };
}

/** Deployment measurements asked for that did not complete: like a browser that could not time a variant, they fail the run (exit 1). */
export function deploymentFailures(d: VariantDeployment | undefined): number {
  if (d === undefined) return 0;
  return [...(d.realInputs ?? []), ...(d.coldStart ?? []), ...(d.load === undefined ? [] : [d.load]), ...(d.tuned ?? [])]
    .filter((x) => x.state === 'failed').length;
}
