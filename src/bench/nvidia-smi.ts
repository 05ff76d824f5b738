import { spawnSync } from 'node:child_process';
import type { GpuInfo } from './schema.js';

const MIB = 1024 * 1024;
/** nvidia-smi can hang on a wedged driver; a report is not worth waiting longer than this. */
const NVIDIA_SMI_TIMEOUT_MS = 10_000;

/** CSV rows of an nvidia-smi query, or null when nvidia-smi is absent or fails. */
function query(args: readonly string[]): string[][] | null {
  const r = spawnSync('nvidia-smi', [...args, '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: NVIDIA_SMI_TIMEOUT_MS });
  if (r.error !== undefined || r.status !== 0) return null;
  return r.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => line.split(',').map((cell) => cell.trim()));
}

/** The GPUs nvidia-smi lists; null when nvidia-smi is not installed or cannot talk to a driver. */
export function listGpus(): GpuInfo[] | null {
  const rows = query(['--query-gpu=name,memory.total,driver_version']);
  return rows?.map(([name = '', memoryMiB = '0', driverVersion = '']) => ({ name, memoryTotalBytes: Number(memoryMiB) * MIB, driverVersion })) ?? null;
}

/**
 * GPU memory nvidia-smi attributes to one process (the CUDA context and onnxruntime's arena
 * included). Null when nvidia-smi is absent or does not list the pid, as in a container whose
 * pid namespace differs from the driver's.
 */
export function processGpuMemoryBytes(pid: number): number | null {
  const rows = query(['--query-compute-apps=pid,used_memory']);
  const mine = rows?.filter(([p]) => Number(p) === pid) ?? [];
  if (mine.length === 0) return null;
  return mine.reduce((sum, [, used = '0']) => sum + Number(used) * MIB, 0);
}
