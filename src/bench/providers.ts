import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UnsupportedError } from '../errors.js';
import { ONNXRUNTIME_WEB, resolveOptionalPeer } from '../util/optional-peer.js';
import { installedVersion } from '../util/package-version.js';

/** The opt-in of docs/cuda.md: onnxruntime-node's install script fetches its CUDA 12 provider libraries. */
export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';

/** What the CUDA execution provider loads at session creation, beside the native binding. */
export const CUDA_PROVIDER_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'] as const;

export interface ProviderInfo {
  readonly name: string;
  /** In the npm package itself; false means the binding supports it once its libraries are installed. */
  readonly bundled: boolean;
}

export interface CudaStatus {
  /** The binding was built with the CUDA execution provider. */
  readonly inBinding: boolean;
  readonly libraryDir: string;
  readonly missingLibraries: readonly string[];
}

// onnxruntime-node is imported on demand, as in validate.ts: its native library is large, and
// commands that never run a model should not pay for loading it.
export async function onnxruntimeVersion(): Promise<string> {
  const { env } = await import('onnxruntime-node');
  return env.versions.node ?? env.versions.common;
}

/** From its package.json: reading the version must not load onnxruntime-web into a process that does not run it. */
export function onnxruntimeWebVersion(): string {
  const version = installedVersion('onnxruntime-web', import.meta.url);
  if (version === null) throw new UnsupportedError(`onnxruntime-web is not installed: npm install onnxruntime-web@${ONNXRUNTIME_WEB.range}`);
  return version;
}

export async function executionProviders(): Promise<ProviderInfo[]> {
  const { listSupportedBackends } = await import('onnxruntime-node');
  return listSupportedBackends().map(({ name, bundled }) => ({ name, bundled }));
}

/** The folder of onnxruntime_binding.node, where the binding looks for provider libraries. */
export function bindingDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
}

export async function cudaStatus(): Promise<CudaStatus> {
  const libraryDir = bindingDir();
  return {
    inBinding: (await executionProviders()).some((p) => p.name === 'cuda'),
    libraryDir,
    missingLibraries: process.platform === 'linux' ? CUDA_PROVIDER_LIBRARIES.filter((lib) => !fs.existsSync(path.join(libraryDir, lib))) : [],
  };
}

/** Refuses --device wasm up front where onnxruntime-web, an optional peer dependency, is not installed. */
export function requireWasm(): void {
  resolveOptionalPeer(ONNXRUNTIME_WEB, '--device wasm');
}

/** Refuses --device cuda up front where it cannot work, rather than letting a run fall back to CPU. */
export async function requireCuda(): Promise<void> {
  const s = await cudaStatus();
  if (!s.inBinding) {
    throw new UnsupportedError(`CUDA is not available: this onnxruntime-node ${await onnxruntimeVersion()} build for ${process.platform}-${process.arch} `
      + 'has no CUDA execution provider; use --device cpu');
  }
  if (s.missingLibraries.length > 0) {
    throw new UnsupportedError("CUDA is not available: onnxruntime-node's CUDA provider libraries are not installed "
      + `(${s.missingLibraries.join(', ')} missing in ${s.libraryDir}); on a machine with an NVIDIA GPU and CUDA 12 run \`${CUDA_INSTALL_COMMAND}\`, `
      + 'or use --device cpu');
  }
}
