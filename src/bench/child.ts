import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { loadRuntime, sessionOptions } from './child-runtime.js';
import { inputFeeds } from './inputs.js';
import type { ChildFailure, ChildJob, ChildReply } from './child-protocol.js';
import { measureLatency } from './latency.js';
import { readProcessMemory } from './memory.js';
import { processGpuMemoryBytes } from './nvidia-smi.js';
import type { RuntimeSettings } from './schema.js';

/**
 * The process one model runs in: bench.ts forks it per job, sends one ChildJob, gets one
 * ChildReply. A process of its own keeps one model's memory peak and thread pools out of another
 * model's figures.
 */

const OPTIMIZED_MODEL = 'optimized.onnx';
/** Initializers go beside the optimised graph, so reading the graph back reads kilobytes, not the weights. */
const OPTIMIZED_WEIGHTS = 'optimized.onnx.data';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** onnxruntime-web cannot write its optimised graph out: a wasm job checks that the graph loads there, then reads CPU's. */
async function optimizedGraph(job: Extract<ChildJob, { job: 'optimized-graph' }>): Promise<ChildReply<'optimized-graph'>> {
  if (job.runtime.executionProvider === 'wasm') {
    try {
      const web = await loadRuntime(job.runtime);
      await (await web.InferenceSession.create(job.modelFile, sessionOptions(job.runtime))).release();
    } catch (e) {
      return { ok: false, stage: 'load', message: messageOf(e) };
    }
  }
  if (!job.readGraph) return { ok: true, graph: null };
  const runtime: RuntimeSettings = job.runtime.executionProvider === 'wasm' ? { ...job.runtime, executionProvider: 'cpu' } : job.runtime;
  const { InferenceSession } = await import('onnxruntime-node');
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(job.modelFile, {
      ...sessionOptions(runtime),
      optimizedModelFilePath: path.join(job.workDir, OPTIMIZED_MODEL),
      extra: {
        session: { optimized_model_external_initializers_file_name: OPTIMIZED_WEIGHTS, optimized_model_external_initializers_min_size_in_bytes: '1024' },
      },
    });
  } catch (e) {
    return { ok: false, stage: 'load', message: messageOf(e) };
  }
  await session.release();
  // Imported here, not above: the ONNX reader costs a measuring child about 150 ms of start-up it never uses.
  const { summarizeOptimizedGraph } = await import('./fused-ops.js');
  return { ok: true, graph: summarizeOptimizedGraph(path.join(job.workDir, OPTIMIZED_MODEL)) };
}

async function measure(job: Extract<ChildJob, { job: 'measure' }>): Promise<ChildReply<'measure'>> {
  const before = readProcessMemory();
  const started = performance.now();
  let session: InferenceSession;
  let feeds: Record<string, Tensor>;
  try {
    const ort = await loadRuntime(job.runtime);
    session = await ort.InferenceSession.create(job.modelFile, sessionOptions(job.runtime));
    feeds = inputFeeds(ort.Tensor, session.inputNames, job.batchSize, job.sequenceLength, job.tokenIdLimit);
  } catch (e) {
    return { ok: false, stage: 'load', message: messageOf(e) };
  }
  const loadMs = performance.now() - started;
  const afterLoad = readProcessMemory();
  try {
    const latency = await measureLatency(() => session.run(feeds), job.warmupIterations, job.stop);
    const afterRuns = readProcessMemory();
    const gpuBytes = job.runtime.executionProvider === 'cuda' ? processGpuMemoryBytes(process.pid) : null;
    // Linux syncs its per-thread RSS counters lazily, so a VmHWM read later can trail an RSS read
    // earlier by a few pages; a peak is at least every RSS this process was seen to have.
    const peakAfterLoad = Math.max(afterLoad.peakRssBytes, afterLoad.rssBytes, before.rssBytes);
    return {
      ok: true,
      measurement: {
        loadMs,
        latency,
        memory: {
          source: 'proc-status',
          rssBeforeLoadBytes: before.rssBytes,
          peakRssAfterLoadBytes: peakAfterLoad,
          peakRssAfterRunsBytes: Math.max(afterRuns.peakRssBytes, afterRuns.rssBytes, peakAfterLoad),
          rssAfterRunsBytes: afterRuns.rssBytes,
          gpuBytes,
          gpuSource: gpuBytes === null ? null : 'nvidia-smi',
        },
      },
    };
  } catch (e) {
    return { ok: false, stage: 'run', message: messageOf(e) };
  } finally {
    await session.release();
  }
}

// The channel closes when the parent ends, however it ends (kill -9 included); a child measuring on
// for nobody would hold the CPU it was measuring. The child's own disconnect after replying ends it too.
process.on('disconnect', () => process.exit(0));

process.once('message', (job: ChildJob) => {
  void (job.job === 'measure' ? measure(job) : optimizedGraph(job))
    .catch((e: unknown): ChildFailure => ({ ok: false, stage: 'run', message: messageOf(e) }))
    .then((reply) => process.send?.(reply, () => process.disconnect()));
});
