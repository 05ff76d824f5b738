import fs from 'node:fs';
import os from 'node:os';
import { listGpus } from './nvidia-smi.js';
import { onnxruntimeVersion, onnxruntimeWebVersion } from './providers.js';
import type { CpuInfo, Environment, RuntimeSettings } from './schema.js';

const field = (block: string, name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim();

function processorBlocks(cpuinfo: string): string[] {
  return cpuinfo.split(/\n\s*\n/).filter((block) => /^processor\s*:/m.test(block));
}

/** The first processor's instruction-set flags (`flags` on x86, `Features` on ARM). */
export function cpuFlags(cpuinfo: string): Set<string> {
  const first = processorBlocks(cpuinfo)[0] ?? '';
  return new Set((field(first, 'flags') ?? field(first, 'Features') ?? '').split(/\s+/).filter((f) => f !== ''));
}

/**
 * CPU model, cores and the instruction-set flags that decide which kernels onnxruntime picks
 * (AVX-512 and VNNI change fp32 and int8 speed, and int8 saturation without VNNI).
 */
export function parseCpuInfo(cpuinfo: string): CpuInfo {
  const processors = processorBlocks(cpuinfo);
  const first = processors[0] ?? '';
  const flags = cpuFlags(cpuinfo);
  // Physical cores are distinct (package, core) pairs; onnxruntime defaults to one thread per core.
  const cores = new Set(processors.map((p) => `${field(p, 'physical id') ?? '0'}:${field(p, 'core id') ?? p}`));
  return {
    model: field(first, 'model name') ?? os.cpus()[0]?.model ?? 'unknown',
    logicalCores: processors.length || os.availableParallelism(),
    physicalCores: cores.size || os.availableParallelism(),
    flags: {
      avx2: flags.has('avx2'),
      avx512f: flags.has('avx512f'),
      avx512Vnni: flags.has('avx512_vnni'),
      avxVnni: flags.has('avx_vnni'),
      amx: flags.has('amx_tile'),
    },
  };
}

/** /proc/cpuinfo, or '' where there is none. */
export function cpuInfoText(): string {
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the model and counts still come from os.cpus(); the flags stay false.
    return '';
  }
}

export function readCpuInfo(): CpuInfo {
  return parseCpuInfo(cpuInfoText());
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return pretty;
  } catch {
    // No os-release (macOS, some minimal containers): os.version() below says enough.
  }
  return os.version();
}

async function collectEnvironment(runtime: RuntimeSettings): Promise<Environment> {
  return {
    cpu: readCpuInfo(),
    memoryTotalBytes: os.totalmem(),
    loadAverageAtStart: os.loadavg() as [number, number, number],
    os: { platform: process.platform, release: os.release(), arch: process.arch, name: osName() },
    node: process.version,
    onnxruntime: { version: await onnxruntimeVersion(), ...runtime },
    gpus: listGpus() ?? [],
  };
}

/** The machine and the runtimes: onnxruntime-web's version too when a device is wasm. */
export async function benchEnvironment(
  settings: { readonly runtime: RuntimeSettings; readonly runtimes: readonly RuntimeSettings[] },
): Promise<Environment> {
  const environment = await collectEnvironment(settings.runtime);
  if (!settings.runtimes.some((r) => r.executionProvider === 'wasm')) return environment;
  return { ...environment, onnxruntimeWeb: { version: onnxruntimeWebVersion() } };
}
