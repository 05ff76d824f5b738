import type { ChildFailure } from '../child-protocol.js';
import { seededRandom } from '../../util/random.js';
import { openPool, type Pool } from './load-pool.js';
import { poissonArrivals, searchLoad, serveOpenLoop } from './load-search.js';
import type { LoadJob, LoadReply } from './protocol.js';

/**
 * The process one (variant, pool) is served in under load (load.ts forks it per variant, pool and
 * round): the pool opened, warmed, then offered rising rates until a step's p99 is over the bound.
 */

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** Each worker's first runs pay for allocation and kernel choice, as bench's warm-up does; a server would have served before. */
async function warmUp(pool: Pool, job: LoadJob): Promise<void> {
  await Promise.all(Array.from({ length: job.workers }, async () => {
    for (let i = 0; i < job.warmupRequests; i++) await pool.submit(i);
  }));
}

async function serveLoad(job: LoadJob): Promise<LoadReply | ChildFailure> {
  let pool: Pool;
  try {
    pool = await openPool(job.modelFile, job.inputs, job.workers, job.threadsPerWorker);
  } catch (e) {
    return { ok: false, stage: 'load', message: messageOf(e) };
  }
  try {
    await warmUp(pool, job);
    // A seed per step, not per process: both pools and every round of a variant meet the same arrivals at each rate.
    const steps = await searchLoad(job.rates, job.p99BoundMs,
      (rate, k) => serveOpenLoop(poissonArrivals(rate, job.stepMs, seededRandom(job.seed + k)), (i) => pool.submit(i)));
    await pool.close();
    return { ok: true, steps };
  } catch (e) {
    await pool.close().catch(() => undefined);
    return { ok: false, stage: 'run', message: messageOf(e) };
  }
}

process.on('disconnect', () => process.exit(0));

process.once('message', (job: LoadJob) => {
  void serveLoad(job)
    .catch((e: unknown): ChildFailure => ({ ok: false, stage: 'run', message: messageOf(e) }))
    .then((reply) => process.send?.(reply, () => process.disconnect()));
});
