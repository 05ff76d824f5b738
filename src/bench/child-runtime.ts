import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { RuntimeSettings } from './schema.js';

/** What child.ts uses of a runtime: onnxruntime-node and onnxruntime-web share these (onnxruntime-common) types. */
interface OrtModule {
  readonly InferenceSession: typeof InferenceSession;
  readonly Tensor: typeof Tensor;
}

/** onnxruntime logs warnings (e.g. about saving an optimised model) to stderr; errors come back as exceptions. */
const LOG_ERRORS_ONLY = 3;

/**
 * The runtime a job runs in, imported on demand, so a CPU or CUDA child never loads onnxruntime-web
 * and a wasm child never loads the native binding to measure. onnxruntime-web's thread count is a
 * process-wide setting that must be made before its first session, so it is set here, explicitly:
 * onnxruntime-web's own default (half the cores, at most 4) would differ from the CPU runtime's.
 */
export async function loadRuntime(runtime: RuntimeSettings): Promise<OrtModule> {
  if (runtime.executionProvider !== 'wasm') return import('onnxruntime-node');
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = runtime.intraOpThreads;
  return web;
}

export function sessionOptions(runtime: RuntimeSettings): InferenceSession.SessionOptions {
  return {
    executionProviders: [runtime.executionProvider],
    // onnxruntime-web takes its threads from env.wasm.numThreads (loadRuntime), not from the session.
    ...(runtime.executionProvider === 'wasm' ? {} : { intraOpNumThreads: runtime.intraOpThreads, interOpNumThreads: runtime.interOpThreads }),
    graphOptimizationLevel: runtime.graphOptimizationLevel,
    executionMode: runtime.executionMode,
    logSeverityLevel: LOG_ERRORS_ONLY,
  };
}
