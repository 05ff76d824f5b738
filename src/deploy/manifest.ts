import { DeployError } from '../errors.js';
import { transformersJsLoad } from '../model-folder/layout.js';
import type { LoadPool } from '../report/model/deployment-types.js';
import type { TunedSession } from '../report/model/tuned-types.js';
import type { DeviceName, Report } from '../report/model/types.js';
import { ALBENCH_VERSION } from '../version.js';
import type { Candidate, DeployConstraints } from '../report/verdicts/target-choice.js';
import { DEPLOYMENT_SCHEMA_VERSION, type DeploymentManifest } from './manifest-types.js';
import { sessionOn, setupOn, TARGETS, type DeployTarget } from '../report/verdicts/targets.js';

const PROVIDER: Record<DeviceName, DeploymentManifest['session']['executionProvider']> = {
  cpu: 'cpu', cuda: 'cuda', wasm: 'wasm', 'browser-wasm': 'wasm', 'browser-webgpu': 'webgpu',
};

export interface ManifestInputs {
  readonly report: Report;
  readonly reportPath: string;
  readonly reportSha256: string;
  readonly target: DeployTarget;
  readonly device: DeviceName;
  readonly chosen: Candidate;
  readonly reason: string;
  readonly constraints: DeployConstraints;
  /** The model file's path inside the deployed folder, `/`-separated. */
  readonly file: string;
  readonly fileSha256: string;
}

/** deployment.json's content: every figure is the report's own, for the chosen variant on the target's device. */
export function buildManifest(m: ManifestInputs): DeploymentManifest {
  const v = m.chosen.headline.variant;
  const metric = v.metrics[0];
  const point = m.chosen.headline.point;
  if (metric === undefined || point === undefined) {
    throw new DeployError(`${v.id} has no metric or no timing on ${m.device} in ${m.reportPath}; run albench compare again with evaluation and timing`);
  }
  const setup = setupOn(m.report, m.device);
  const tuned = tunedOn(v.deployment?.tuned, m.device);
  const runtime = TARGETS[m.target].runtime;
  const diff = metric.differenceVsFp32;
  return {
    deploymentSchemaVersion: DEPLOYMENT_SCHEMA_VERSION,
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    target: m.target,
    device: m.device,
    variant: { id: v.id, model: v.model, variant: v.variant, file: m.file, fileSha256: m.fileSha256, sizeBytes: v.sizeBytes },
    runtime: { name: runtime, measuredWith: setup.runtime },
    session: {
      executionProvider: PROVIDER[m.device],
      ...(tuned?.chosen ?? sessionOn(m.report, m.device)),
      settingsFrom: tuned === undefined ? 'timed' : 'tuned',
      ...(runtime === 'transformers.js' ? { transformersJs: transformersJsLoad(m.file) } : {}),
    },
    expected: { ...expectedCosts(m, point), tuned: tuned === undefined ? null : tunedFigure(m.report, tuned) },
    accuracy: {
      metric: metric.key, value: metric.value, examples: metric.examples, ci95Low: metric.ci95Low, ci95High: metric.ci95High,
      vsFp32: diff === undefined || m.chosen.interval === undefined ? null : { test: diff, interval: m.chosen.interval },
    },
    constraints: { ...m.constraints },
    reason: m.reason,
    report: { path: m.reportPath, sha256: m.reportSha256 },
  };
}

/**
 * compare --tune's result for the variant on the device, when it measured one whose choice held: a
 * choice its own measurement rounds found slower than the default beyond noise was a lucky draw of
 * the selection rounds, and the app gets the settings the report timed with instead.
 */
function tunedOn(tuned: readonly TunedSession[] | undefined, device: DeviceName): Extract<TunedSession, { state: 'measured' }> | undefined {
  const found = tuned?.find((t) => t.device === device);
  return found?.state === 'measured' && found.versusDefault?.verdict !== 'slower' ? found : undefined;
}

/** The tuned settings' p50 and p99 over the measurement rounds, at the point every setting was timed at (the grid's first). */
function tunedFigure(report: Report, tuned: Extract<TunedSession, { state: 'measured' }>): NonNullable<DeploymentManifest['expected']['tuned']> {
  const tune = report.deployment?.tune;
  return {
    batchSize: tune?.batchSize ?? report.settings.batchSizes[0] ?? 1, sequenceLength: tune?.sequenceLength ?? report.settings.sequenceLengths[0] ?? 1,
    p50Ms: tuned.measured.p50Ms, p99Ms: tuned.measured.p99Ms,
  };
}

/** p50 and p99 at the highest rate the pool served within the bound (its reported round); null when none was. */
function highestWithin(pool: LoadPool): { p50Ms: number; p99Ms: number } | null {
  const step = pool.steps.filter((s) => s.withinBound).at(-1);
  return step === undefined ? null : { p50Ms: step.p50Ms, p99Ms: step.p99Ms };
}

function expectedCosts(m: ManifestInputs, point: NonNullable<Candidate['headline']['point']>): Omit<DeploymentManifest['expected'], 'tuned'> {
  const d = m.chosen.headline.variant.deployment;
  const cold = d?.coldStart?.find((c) => c.device === m.device);
  const real = d?.realInputs?.find((r) => r.device === m.device);
  const load = d?.load?.state === 'measured' && m.device === d.load.device ? d.load : undefined;
  const bound = m.report.deployment?.load?.p99BoundMs;
  const best = load?.pools.reduce((a: LoadPool, b) => ((b.throughputRequestsPerSecond ?? -1) > (a.throughputRequestsPerSecond ?? -1) ? b : a));
  return {
    coldStartMs: cold?.state === 'measured' ? cold.totalMs : null,
    realInputs: real?.state === 'measured' ? { p50Ms: real.p50Ms, p99Ms: real.p99Ms } : null,
    gridFirstPoint: { batchSize: point.batchSize, sequenceLength: point.sequenceLength, p50Ms: point.p50Ms, p99Ms: point.p99Ms },
    underLoad: best === undefined || bound === undefined ? null : {
      workers: best.workers, threadsPerWorker: best.threadsPerWorker, throughputRequestsPerSecond: best.throughputRequestsPerSecond, p99BoundMs: bound,
      atThroughput: highestWithin(best),
    },
  };
}
