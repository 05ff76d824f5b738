import { fileURLToPath } from 'node:url';
import { UnsupportedError } from '../errors.js';

/**
 * Packages only some runs need, so a default install leaves them out: they are albench's optional
 * peer dependencies (package.json's peerDependencies and peerDependenciesMeta, whose ranges these
 * repeat; a test checks they agree). A run that needs one checks it here before any work, and
 * imports it only then.
 */
export interface OptionalPeer {
  readonly name: string;
  /** The range albench supports, as package.json's peerDependencies gives it. */
  readonly range: string;
}

/** WebAssembly in Node (--device wasm) and in a browser (browser-bench, --device browser-*). */
export const ONNXRUNTIME_WEB: OptionalPeer = { name: 'onnxruntime-web', range: '^1.30.0' };
/** A cache in object storage (--cache s3://bucket/prefix). */
export const AWS_S3_CLIENT: OptionalPeer = { name: '@aws-sdk/client-s3', range: '^3.1175.0' };

export const OPTIONAL_PEERS: readonly OptionalPeer[] = [ONNXRUNTIME_WEB, AWS_S3_CLIENT];

/**
 * The file `peer` resolves to from albench (as `import()` would resolve it), or an UnsupportedError
 * naming what needs it and the command that installs it. Resolving does not load it.
 */
export function resolveOptionalPeer(peer: OptionalPeer, what: string): string {
  try {
    return fileURLToPath(import.meta.resolve(peer.name));
  } catch (e) {
    throw new UnsupportedError(`${what} needs ${peer.name}, which is not installed: npm install ${peer.name}@${peer.range}`, e);
  }
}
