import os from 'node:os';
import { readCpuInfo } from '../../src/bench/env.js';
import type { QuantizeOptions } from '../../src/quantize/options.js';

/**
 * onnxruntime's u8s8 int8 kernels on an x86 CPU without VNNI (AVX2, or AVX-512 before VNNI) add
 * pairs of uint8 x int8 products in int16 with saturation (vpmaddubsw), so int8 weights near +-127
 * lose whole units: a one-op graph that is within 0.1 of fp32 on a VNNI machine is 1.8 off here.
 * onnxruntime's quantization guide gives 7-bit weights (reduce range) for such CPUs, and so does
 * `albench quantize --reduce-range`.
 */
export function u8s8Saturates(): boolean {
  const { flags } = readCpuInfo();
  return os.arch() === 'x64' && !(flags.avx512Vnni || flags.avxVnni || flags.amx);
}

/**
 * The options a test of a rewrite's numerics quantizes with on this CPU: 7-bit int8 weights where
 * the u8s8 kernels saturate, so the test's bound measures the rewrite, not the kernel; unchanged
 * elsewhere, and for uint8 or 4-bit weights (no u8s8 kernel runs them).
 */
export function forThisCpu(options: Partial<QuantizeOptions>): Partial<QuantizeOptions> {
  const int8Weights = (options.weightType ?? 'int8') === 'int8' && (options.bits ?? 8) === 8;
  return int8Weights && u8s8Saturates() ? { ...options, reduceRange: true } : options;
}
