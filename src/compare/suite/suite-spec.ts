import type { GlueTask } from '../../glue/tasks.js';
import type { SubsetSetting, VariantName } from '../../report/model/types.js';

/** One task of a suite and the dev rows it is scored on. */
export interface SuiteTaskSpec {
  readonly task: GlueTask;
  readonly subset: SubsetSetting;
}

/** A model family: one checkpoint (bundled name, folder or hub id) per suite task, in the suite's task order. */
export interface SuiteFamilySpec {
  readonly name: string;
  readonly models: readonly string[];
}

/** What a suite file (or --task/--family) asks for; the rest of the run's settings come from compare's flags. */
export interface SuiteSpec {
  readonly name?: string;
  readonly variants?: readonly VariantName[];
  readonly tasks: readonly SuiteTaskSpec[];
  readonly families: readonly SuiteFamilySpec[];
}

/** A family name becomes part of row ids (`bert/int8-dynamic`) and file names. */
export const FAMILY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
