import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readReport } from '../../src/report/read-report.js';
import type { Report } from '../../src/report/model/types.js';
import { REPO_ROOT } from './paths.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/**
 * One small compare of the bundled models, as separate `albench compare --shard k/N` processes
 * started at once on one cache, merged with `albench merge`, and the same compare unsharded. The
 * cache is a parameter: a local folder, or any `--cache` location compare accepts (an S3 prefix).
 */
export interface ShardRun {
  readonly shards: readonly Report[];
  readonly merged: Report;
  readonly single: Report;
  readonly shardSeconds: number;
}

export const SHARD_RUN_ARGS = ['bert', 'albert', '--limit', '16', '--time', '20', '--quiet'] as const;

export async function shardAndMerge(cache: string, work: string, count = 3, env: NodeJS.ProcessEnv = process.env): Promise<ShardRun> {
  const reports = path.join(work, 'reports');
  const compare = (name: string, extra: readonly string[]) =>
    run(process.execPath, [CLI, 'compare', ...SHARD_RUN_ARGS, '--cache', cache, '--reports', reports, '--name', name, ...extra], { env });
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, k) => compare(`shard${k}`, ['--shard', `${k}/${count}`])));
  const shardSeconds = (performance.now() - started) / 1000;
  const shardFiles = Array.from({ length: count }, (_, k) => path.join(reports, `shard${k}`, 'report.json'));
  const mergedDir = path.join(work, 'merged');
  await run(process.execPath, [CLI, 'merge', ...shardFiles, '-o', mergedDir], { env });
  // The whole compare after the shards: it reuses their cached conversions, variants, evaluations and
  // timings (--reuse-timings), so it costs seconds; nothing it is compared on comes from timing.
  await compare('single', ['--reuse-timings']);
  return {
    shards: shardFiles.map((f) => readReport(f)),
    merged: readReport(path.join(mergedDir, 'report.json')),
    single: readReport(path.join(reports, 'single', 'report.json')),
    shardSeconds,
  };
}

/**
 * Exactly what a merged report may differ in from the single-machine report of the same compare:
 * the fields that come from timing or the machine. Everything else must be equal.
 */
export const TIMING_AND_MACHINE_FIELDS = [
  'createdAt',
  'env',
  'variants[].latency',
  'variants[].memory',
  'variants[].transformersJs.reused (whether this run checked the variant or took the verdict from the cache)',
  'recommendation (drawn from latency when no constraints are given)',
  'claims[faster-inference] (drawn from latency)',
  'matrix (only a merged report has it)',
] as const;

/** The report without TIMING_AND_MACHINE_FIELDS. */
export function withoutTimingAndMachine(r: Report): unknown {
  const { createdAt: _c, env: _e, recommendation: _r, matrix: _m, ...rest } = r;
  return {
    ...rest,
    variants: r.variants.map((v) => {
      if (v.state !== 'completed') return v;
      const { latency: _l, memory: _mem, ...kept } = v;
      if (kept.transformersJs === undefined) return kept;
      const { reused: _reused, ...check } = kept.transformersJs;
      return { ...kept, transformersJs: check };
    }),
    claims: r.claims.filter((c) => c.id !== 'faster-inference'),
  };
}
