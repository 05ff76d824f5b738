import os from 'node:os';
import { UsageError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { cpuFlags, cpuInfoText } from './env.js';
import { onnxruntimeVersion, onnxruntimeWebVersion } from './providers.js';
import type { Device } from './schema.js';

/**
 * What computes a result that comes from running a model, and so belongs in the cache key of every
 * such step (evaluation, timing, calibrated ranges, an accuracy search): the same file can give other
 * predictions, ranges or speeds under another onnxruntime release, on another architecture, or where
 * onnxruntime dispatches to other kernels. Steps whose output is bytes albench writes itself
 * (conversion, the other variants) leave it out, so every machine shares them.
 */
export interface ComputeFacts {
  /** The runtime package: onnxruntime-node, or onnxruntime-web for wasm. */
  readonly runtime: string;
  readonly version: string;
  readonly executionProvider: Device;
  /** os.arch(): x64, arm64. */
  readonly arch: string;
  /** The instruction sets among SETS_ONNXRUNTIME_DISPATCHES_ON this CPU has, in that order. */
  readonly instructionSets: readonly string[];
}

/**
 * The CPU flags (as /proc/cpuinfo names them) whose presence changes the kernels onnxruntime's
 * MLAS runs: on x86 AVX2, AVX-512, the VNNI int8 dot products and AMX; on arm64 the dot-product,
 * int8 matrix-multiply, SVE and bfloat16 extensions.
 */
export const SETS_ONNXRUNTIME_DISPATCHES_ON = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni', 'amx_tile', 'asimddp', 'i8mm', 'sve', 'bf16'] as const;

/** Only the tests set it: JSON of ComputeFacts fields that replace the measured ones (another runtime version, another arch). */
export const TEST_COMPUTE_FACTS_ENV = 'ALBENCH_TEST_COMPUTE_FACTS';

function instructionSets(): string[] {
  const flags = cpuFlags(cpuInfoText());
  return SETS_ONNXRUNTIME_DISPATCHES_ON.filter((f) => flags.has(f));
}

const measured = new Map<Device, Promise<ComputeFacts>>();

async function measure(executionProvider: Device): Promise<ComputeFacts> {
  const web = executionProvider === 'wasm';
  return {
    runtime: web ? 'onnxruntime-web' : 'onnxruntime-node',
    version: web ? onnxruntimeWebVersion() : await onnxruntimeVersion(),
    executionProvider, arch: os.arch(), instructionSets: instructionSets(),
  };
}

function testReplacement(): Partial<ComputeFacts> {
  const given = process.env[TEST_COMPUTE_FACTS_ENV];
  if (given === undefined || given === '') return {};
  try {
    return JSON.parse(given) as Partial<ComputeFacts>;
  } catch {
    throw new UsageError(`${TEST_COMPUTE_FACTS_ENV}=${safeLine(given)} is not JSON; it is for albench's tests only: unset it`);
  }
}

/** The facts of the runtime that runs models on `executionProvider` here (measured once per process). */
export async function computeFacts(executionProvider: Device): Promise<ComputeFacts> {
  let facts = measured.get(executionProvider);
  if (facts === undefined) {
    facts = measure(executionProvider);
    measured.set(executionProvider, facts);
  }
  return { ...(await facts), ...testReplacement() };
}
