import type { GlueTaskId } from '../../glue/tasks.js';
import { shardSlice, type ShardSpec } from '../shard.js';
import type { SuiteSpec } from './suite-spec.js';

/** One compare run of a suite: a family's checkpoint on one task. */
interface SuiteRunSpec {
  readonly family: string;
  readonly model: string;
  readonly task: GlueTaskId;
  readonly taskIndex: number;
}

/**
 * The suite's compare runs in the order an unsharded suite makes them (task by task, each task's
 * families in turn), and of those shard K of N's: compare --shard's contiguous cut, applied to
 * whole runs, so a run's variants are never split and each shard's embedded task reports are whole compares.
 */
export function suiteRuns(suite: SuiteSpec, shard?: ShardSpec): SuiteRunSpec[] {
  const all = suite.tasks.flatMap((t, taskIndex) => suite.families.map((family): SuiteRunSpec => ({
    family: family.name, model: family.models[taskIndex] ?? '', task: t.task.id, taskIndex,
  })));
  if (shard === undefined) return all;
  return shardSlice(all, shard);
}
