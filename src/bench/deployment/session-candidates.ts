import type { ExecutionMode, GraphOptimizationLevel, RuntimeSettings } from '../schema.js';

/**
 * The session settings compare --tune tries on a device: the ones that move onnxruntime's latency
 * on a small encoder. On cpu and cuda intra-op threads {1, one per physical core} x graph
 * optimisation {basic, all} x execution mode {sequential, parallel}; on wasm only the threads
 * (onnxruntime-web's env.wasm.numThreads), the one setting it takes from albench that changes its speed.
 */

const LEVELS: readonly GraphOptimizationLevel[] = ['basic', 'all'];
const MODES: readonly ExecutionMode[] = ['sequential', 'parallel'];

const sameSession = (a: RuntimeSettings, b: RuntimeSettings): boolean => a.intraOpThreads === b.intraOpThreads
  && a.interOpThreads === b.interOpThreads && a.graphOptimizationLevel === b.graphOptimizationLevel && a.executionMode === b.executionMode;

/**
 * Every candidate for the device `timed` was timed on, `timed` itself (compare's own settings, the
 * default) first and each setting once. The parallel mode gets one inter-op thread per physical core,
 * onnxruntime's own default; with one it would run as the sequential mode does.
 */
export function sessionCandidates(timed: RuntimeSettings, physicalCores: number): RuntimeSettings[] {
  const threads = [...new Set([1, Math.max(1, physicalCores)])];
  const grid: RuntimeSettings[] = timed.executionProvider === 'wasm'
    ? threads.map((t) => ({ ...timed, intraOpThreads: t }))
    : threads.flatMap((t) => LEVELS.flatMap((level) => MODES.map((mode) => ({
      ...timed, intraOpThreads: t, graphOptimizationLevel: level, executionMode: mode, interOpThreads: mode === 'parallel' ? Math.max(1, physicalCores) : 1,
    }))));
  return [timed, ...grid.filter((c) => !sameSession(c, timed))];
}
