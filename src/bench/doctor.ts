import os from 'node:os';
import { readCpuInfo } from './env.js';
import { listGpus } from './nvidia-smi.js';
import { CUDA_INSTALL_COMMAND, cudaStatus, executionProviders, onnxruntimeVersion, type CudaStatus, type ProviderInfo } from './providers.js';
import type { CpuInfo, GpuInfo } from './schema.js';

interface DoctorReport {
  readonly onnxruntimeNode: string;
  readonly executionProviders: readonly ProviderInfo[];
  /** `ready` means --device cuda can start (provider and libraries present, nvidia-smi sees a GPU). */
  readonly cuda: CudaStatus & { readonly ready: boolean };
  /** Null when nvidia-smi is not installed or cannot reach a driver. */
  readonly gpus: readonly GpuInfo[] | null;
  readonly cpu: CpuInfo;
  readonly memoryTotalBytes: number;
  readonly node: string;
}

/** What this machine offers albench bench: providers, CUDA libraries, GPUs, CPU features. */
export async function doctor(): Promise<DoctorReport> {
  const cuda = await cudaStatus();
  const gpus = listGpus();
  return {
    onnxruntimeNode: await onnxruntimeVersion(),
    executionProviders: await executionProviders(),
    cuda: { ...cuda, ready: cuda.inBinding && cuda.missingLibraries.length === 0 && (gpus?.length ?? 0) > 0 },
    gpus,
    cpu: readCpuInfo(),
    memoryTotalBytes: os.totalmem(),
    node: process.version,
  };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function formatDoctor(r: DoctorReport): string {
  const providers = r.executionProviders.map((p) => `${p.name}${p.bundled ? '' : ' (needs provider libraries)'}`).join(', ');
  const cudaLibs = r.cuda.missingLibraries.length === 0
    ? `installed in ${r.cuda.libraryDir}`
    : `not installed (${r.cuda.missingLibraries.join(', ')} missing in ${r.cuda.libraryDir}); install with: ${CUDA_INSTALL_COMMAND}`;
  const gpus = r.gpus === null ? 'none found (nvidia-smi is not installed or sees no driver)'
    : r.gpus.length === 0 ? 'none (nvidia-smi lists no GPU)'
    : r.gpus.map((g) => `${g.name}, ${(g.memoryTotalBytes / 2 ** 30).toFixed(0)} GiB, driver ${g.driverVersion}`).join('; ');
  const f = r.cpu.flags;
  return [
    `onnxruntime-node:      ${r.onnxruntimeNode} (Node ${r.node})`,
    `execution providers:   ${providers}`,
    `CUDA provider libs:    ${cudaLibs}`,
    `GPUs:                  ${gpus}`,
    `--device cuda:         ${r.cuda.ready ? 'ready' : 'not available'}`,
    `CPU:                   ${r.cpu.model}, ${r.cpu.physicalCores} cores / ${r.cpu.logicalCores} threads, ${(r.memoryTotalBytes / 2 ** 30).toFixed(1)} GiB`,
    `CPU flags:             AVX2 ${yesNo(f.avx2)}, AVX-512 ${yesNo(f.avx512f)}, AVX-512 VNNI ${yesNo(f.avx512Vnni)}, `
      + `AVX-VNNI ${yesNo(f.avxVnni)}, AMX ${yesNo(f.amx)}`,
  ].join('\n');
}
