import fs from 'node:fs';
import { loadRuntime, sessionOptions } from '../child-runtime.js';
import type { ChildFailure } from '../child-protocol.js';
import { readProcessMemory } from '../memory.js';
import type { ColdStartJob, ColdStartReply } from './protocol.js';
import { requestFeeds } from './requests.js';

/**
 * One cold start, from the fork to the first prediction (cold-start.ts forks it per variant, device
 * and run). It imports only small modules of its own before its first line runs, so `spawn` is
 * Node's start-up; the runtime is imported afterwards, on the clock. The job comes in argv, so no
 * part waits on a message. Every mark is process.hrtime (CLOCK_MONOTONIC), shared with the parent.
 */
const startedNs = process.hrtime.bigint();

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
const msBetween = (from: bigint, to: bigint) => Number(to - from) / 1e6;

async function coldStart(job: ColdStartJob, forkedNs: bigint): Promise<ColdStartReply | ChildFailure> {
  const ort = await loadRuntime(job.runtime);
  const importedNs = process.hrtime.bigint();
  const bytes = await fs.promises.readFile(job.modelFile);
  const readNs = process.hrtime.bigint();
  // A graph with its weights in a file beside it loads from its path, which reads both (inside create-session).
  const source = fs.existsSync(`${job.modelFile}_data`) ? job.modelFile : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = typeof source === 'string'
      ? await ort.InferenceSession.create(source, sessionOptions(job.runtime))
      : await ort.InferenceSession.create(source, sessionOptions(job.runtime));
  } catch (e) {
    return { ok: false, stage: 'load', message: messageOf(e) };
  }
  const createdNs = process.hrtime.bigint();
  const [feeds] = requestFeeds(ort.Tensor, session.inputNames, job.input);
  if (feeds === undefined) return { ok: false, stage: 'run', message: 'no request to send' };
  await session.run(feeds);
  const ranNs = process.hrtime.bigint();
  const memory = readProcessMemory();
  const marks = [forkedNs, startedNs, importedNs, readNs, createdNs, ranNs];
  const names = ['spawn', 'runtime-import', 'read-file', 'create-session', 'first-run'] as const;
  return {
    ok: true,
    parts: names.map((part, i) => ({ part, ms: msBetween(marks[i] as bigint, marks[i + 1] as bigint) })),
    totalMs: msBetween(forkedNs, ranNs),
    peakRssAfterFirstRunBytes: Math.max(memory.peakRssBytes, memory.rssBytes),
  };
}

process.on('disconnect', () => process.exit(0));

void coldStart(JSON.parse(process.argv[2] ?? '{}') as ColdStartJob, BigInt(process.argv[3] ?? '0'))
  .catch((e: unknown): ChildFailure => ({ ok: false, stage: 'run', message: messageOf(e) }))
  .then((reply) => process.send?.(reply, () => process.disconnect()));
