/** The worker sha256Files starts: hashes workerData.files in order and posts the digests back. */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256FileSync } from './sha256.js';

parentPort?.postMessage((workerData as { readonly files: readonly string[] }).files.map(sha256FileSync));
