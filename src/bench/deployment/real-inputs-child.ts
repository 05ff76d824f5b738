import { loadRuntime, sessionOptions } from '../child-runtime.js';
import type { ChildFailure } from '../child-protocol.js';
import type { RealInputsJob, RealInputsReply } from './protocol.js';
import { requestFeeds } from './requests.js';

/**
 * The process one variant's real-input cost is measured in (real-inputs.ts forks it per variant,
 * device and round): each request at its own length, one at a time, in whole passes over the sample
 * so every row weighs alike.
 */

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

async function measure(job: RealInputsJob): Promise<RealInputsReply | ChildFailure> {
  let run: (i: number) => Promise<unknown>;
  let requests: number;
  try {
    const ort = await loadRuntime(job.runtime);
    const session = await ort.InferenceSession.create(job.modelFile, sessionOptions(job.runtime));
    const feeds = requestFeeds(ort.Tensor, session.inputNames, job.inputs);
    requests = feeds.length;
    run = (i) => session.run(feeds[i % feeds.length] as (typeof feeds)[number]);
  } catch (e) {
    return { ok: false, stage: 'load', message: messageOf(e) };
  }
  try {
    for (let i = 0; i < job.warmupIterations; i++) await run(i);
    const timesMs: number[] = [];
    const started = performance.now();
    while (timesMs.length < job.stop.minIterations || performance.now() - started < job.stop.minTimeMs) {
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await run(i);
        timesMs.push(performance.now() - t);
      }
    }
    return { ok: true, timesMs, wallMs: performance.now() - started };
  } catch (e) {
    return { ok: false, stage: 'run', message: messageOf(e) };
  }
}

// A parent that is gone wants no more figures (child.ts does the same).
process.on('disconnect', () => process.exit(0));

process.once('message', (job: RealInputsJob) => {
  void measure(job)
    .catch((e: unknown): ChildFailure => ({ ok: false, stage: 'run', message: messageOf(e) }))
    .then((reply) => process.send?.(reply, () => process.disconnect()));
});
