import { fileURLToPath } from 'node:url';
import { computeFacts } from '../bench/compute-facts.js';
import type { GlueTask } from '../glue/tasks.js';
import { installedVersion, resolvedFrom } from '../util/package-version.js';
import type { TimedVariant } from './variant-record.js';

export const TRANSFORMERS_JS_PACKAGE = '@huggingface/transformers';

let versions: { readonly transformersJs: string; readonly runtime: string } | null | undefined;

/** transformers.js' version and the onnxruntime-node it resolves, read from disk once per process (not once per variant). */
function transformersJsVersions(): { readonly transformersJs: string; readonly runtime: string } | null {
  if (versions !== undefined) return versions;
  const here = fileURLToPath(import.meta.url);
  const version = installedVersion(TRANSFORMERS_JS_PACKAGE, here);
  const entry = resolvedFrom(TRANSFORMERS_JS_PACKAGE, here);
  versions = version === null || entry === null
    ? null : { transformersJs: version, runtime: `onnxruntime-node@${installedVersion('onnxruntime-node', entry) ?? 'absent'}` };
  return versions;
}

/**
 * What the transformers.js check of a variant depends on, all of it (the cache adds albench's code
 * digest): the variant's folder and file, the rows and the labels albench gave them, transformers.js'
 * version, the onnxruntime-node it runs the model with (resolved as transformers.js resolves it) and
 * the machine's kernels (#25's rule). Null where transformers.js is not installed: nothing to key.
 */
export async function transformersJsKey(v: TimedVariant, task: GlueTask, dataHash: string, rows: number): Promise<unknown> {
  const installed = transformersJsVersions();
  if (installed === null) return null;
  return {
    variantKey: v.variantKey, fileSha256: v.fileSha256, task: task.id, dataHash,
    rows: v.predictions.rows.slice(0, rows), labels: v.predictions.labels?.slice(0, rows),
    ...installed,
    computedBy: await computeFacts('cpu'),
  };
}
