import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../../src/checkpoint/config.js';
import { openSafetensors } from '../../src/checkpoint/safetensors.js';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { AlbenchError } from '../../src/errors.js';
import { readModelProto } from '../../src/onnx/serde.js';
import { CHECKPOINTS, FIXTURES } from '../helpers/paths.js';

/**
 * One fuzz target per parser: seed inputs, and a run that must either succeed or throw one of
 * albench's typed errors. Anything else (TypeError, RangeError, a hang) is a finding.
 */
export interface FuzzTarget {
  readonly name: string;
  seeds(): Uint8Array[];
  /** `file` is a scratch path the bytes are written to for readers that take a path. */
  run(bytes: Uint8Array, file: string): void;
}

const readAll = (file: string) => Uint8Array.from(fs.readFileSync(file));

function consumeStateDict(sd: { tensors: ReadonlyMap<string, { bytes(): Uint8Array }>; close(): void }): void {
  try {
    for (const t of sd.tensors.values()) t.bytes();
  } finally {
    sd.close();
  }
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'safetensors',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-cls-legacy-keys'].map((n) => readAll(path.join(CHECKPOINTS, n, 'model.safetensors'))),
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      consumeStateDict(openSafetensors(file));
    },
  },
  {
    name: 'torch-bin (zip + pickle)',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-mlm'].map((n) => readAll(path.join(CHECKPOINTS, n, 'pytorch_model.bin'))),
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      consumeStateDict(openTorchBin(file));
    },
  },
  {
    name: 'config.json',
    seeds: () => ['albert-tiny-groups', 'bert-tiny-regression'].map((n) => readAll(path.join(CHECKPOINTS, n, 'config.json'))),
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      readConfigFile(file);
    },
  },
  {
    name: 'onnx',
    seeds: () => [readAll(path.join(FIXTURES, 'torch-onnx', 'bert-tiny-cls.onnx'))],
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      readModelProto(file);
    },
  },
];

export function isExpectedError(e: unknown): boolean {
  return e instanceof AlbenchError;
}
