import { recommendationTitle } from '../model/describe.js';
import { mb, ms } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import { envLabel, envName } from './env-labels.js';
import type { HardwareMatrix, MatrixPart } from '../model/matrix-types.js';
import type { Report } from '../model/types.js';

/**
 * What the Markdown and HTML renderers show of runs beyond one machine, as plain text: the
 * partial-report banner, and the hardware matrix (latency and memory per variant per environment,
 * each environment's recommendation, the accuracy check across environments, the latency caveats).
 */
interface MatrixView {
  readonly title: string;
  readonly environments: readonly string[];
  readonly header: readonly string[];
  readonly numeric: readonly boolean[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly runs: readonly string[];
  readonly recommendations: readonly string[];
  readonly accuracy: readonly string[];
  readonly caveats: readonly string[];
}

export function partialBanner(report: Pick<Report, 'shard'>): string | undefined {
  const s = report.shard;
  if (s === undefined) return undefined;
  return `Partial report: shard ${s.index}/${s.count} (0-based) of a sharded run; its recommendation and claims cover this shard's variants only.`
    + ' albench merge joins the shards into the whole report.';
}

function runText(parts: readonly MatrixPart[], env: number): string {
  const mine = parts.filter((p) => p.env === env);
  const texts = mine.map((p) => {
    if (p.shard === undefined || p.window === undefined) return 'a whole run';
    return `shard ${p.shard.index}/${p.shard.count} on machine ${p.window.machine}, ${p.window.startedAt} to ${p.window.finishedAt}`;
  });
  return `${envName(env)}: ${texts.join('; ')}`;
}

/** The first grid point's p50 and the peak memory after the runs, per environment; '-' where an environment has no figure. */
function cellText(m: HardwareMatrix, variantId: string, env: number): [string, string] {
  const cell = m.cells.find((c) => c.variantId === variantId && c.env === env);
  const point = cell?.latency[0];
  return [point === undefined ? '-' : ms(point.p50Ms), cell === undefined ? '-' : mb(cell.memory.peakRssAfterRunsBytes)];
}

export function matrixView(report: Pick<Report, 'matrix' | 'variants' | 'settings'>): MatrixView | undefined {
  const m = report.matrix;
  if (m === undefined) return undefined;
  const envs = m.environments.map((_, i) => i);
  const [batchSize = 1] = report.settings.batchSizes;
  const [sequenceLength = 1] = report.settings.sequenceLengths;
  const grid = gridLabel({ batchSize, sequenceLength });
  const ids = report.variants.map((v) => v.id).filter((id) => m.cells.some((c) => c.variantId === id));
  return {
    title: envs.length === 1 ? 'Merged run (one environment)' : `Hardware matrix (${envs.length} environments)`,
    environments: m.environments.map((e, i) => `${envName(i)}: ${envLabel(e)}`),
    header: ['variant', ...envs.flatMap((i) => [`${envName(i)} p50 ms (${grid})`, `${envName(i)} peak RSS MB`])],
    numeric: [false, ...envs.flatMap(() => [true, true])],
    rows: ids.map((id) => [id, ...envs.flatMap((i) => cellText(m, id, i))]),
    runs: envs.map((i) => runText(m.parts, i)),
    recommendations: m.recommendations.map((r) => {
      const ids = r.recommendation.variantIds.join(', ');
      return `${envName(r.env)}: ${recommendationTitle(r.recommendation.kind)}${ids === '' ? '' : ` ${ids}`}. ${r.recommendation.reason}`;
    }),
    accuracy: m.accuracy.map((a) => `${a.agrees ? 'agrees' : 'DISAGREES'}: ${a.variantId} in ${a.envs.map(envName).join(', ')}: ${a.detail}`),
    caveats: m.latencyNotComparable.map((c) => `${envName(c.env)}: latency not comparable: ${c.reason}.`),
  };
}
