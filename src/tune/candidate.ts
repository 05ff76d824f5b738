import fs from 'node:fs';
import path from 'node:path';
import type { OnnxModel } from '../onnx/model.js';
import { writeModel } from '../onnx/serde.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { quantizeGraph, type GraphQuantization } from '../quantize/quantize-graph.js';
import type { QuantGroup } from './groups.js';
import { runOnSample, scoreRun, type SampleRun, type SampleScore } from './score.js';
import type { TrainSample } from './train-sample.js';

/** The fp32 model, the recipe, the sample and fp32's run on it: everything a candidate is scored against. */
export interface SearchContext {
  readonly model: OnnxModel;
  readonly file: string;
  readonly options: QuantizeOptions;
  readonly sample: TrainSample;
  readonly reference: SampleRun;
  /** Where candidates are written while they are scored. */
  readonly workDir: string;
  readonly threads?: number;
}

export interface ScoredCandidate extends SampleScore {
  readonly bytes: number;
}

/** The recipe applied to every group but `kept`, which stays in float. */
export function quantizeKeeping(ctx: SearchContext, kept: readonly QuantGroup[]): GraphQuantization {
  const nodes = kept.flatMap((g) => g.nodes);
  const result = quantizeGraph(ctx.model, { ...ctx.options, exclude: nodes }, ctx.file);
  // --exclude matches names by substring: make sure it kept exactly these nodes and no others.
  const wanted = new Set(nodes);
  if (result.excluded.length !== wanted.size || result.excluded.some((n) => !wanted.has(n))) {
    throw new Error(`excluding ${[...wanted].join(', ')} kept ${result.excluded.join(', ')} in float`);
  }
  return result;
}

let serial = 0;

/** Writes the candidate into the work folder, hands its file and byte count to `use`, then removes it. */
async function withCandidateFile<T>(ctx: SearchContext, kept: readonly QuantGroup[], use: (file: string, bytes: number) => Promise<T> | T): Promise<T> {
  const file = path.join(ctx.workDir, `candidate-${serial++}.onnx`);
  try {
    const { bytes } = writeModel(quantizeKeeping(ctx, kept).model, file);
    return await use(file, bytes);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The candidate's file size alone, without running it. */
export function candidateBytes(ctx: SearchContext, kept: readonly QuantGroup[]): Promise<number> {
  return withCandidateFile(ctx, kept, (_file, bytes) => bytes);
}

/** Writes the candidate, runs it over the sample and scores it against fp32's run. */
export function scoreCandidate(ctx: SearchContext, kept: readonly QuantGroup[]): Promise<ScoredCandidate> {
  return withCandidateFile(ctx, kept, async (file, bytes) => {
    const run = await runOnSample(file, ctx.sample, ctx.threads);
    return { ...scoreRun(run, ctx.reference, ctx.sample), bytes };
  });
}
