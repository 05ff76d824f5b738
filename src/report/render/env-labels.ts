import type { Env } from '../model/environment.js';

/** How a merged report names its environments, in every format and in merge's refusals. */

/** An environment's short name in every format: E1 is environments[0]. */
export const envName = (env: number): string => `E${env + 1}`;

/** "Intel Xeon … (avx2, avx512f) · CPUExecutionProvider, 4 threads": an environment in one line, for tables and refusals. */
export function envLabel(e: Env): string {
  const flags = e.cpuFlags.length > 0 ? ` (${e.cpuFlags.join(', ')})` : '';
  return `${e.cpuModel}${flags} · ${e.executionProvider}, ${e.threads} thread${e.threads === 1 ? '' : 's'} · onnxruntime ${e.onnxruntime}`;
}
