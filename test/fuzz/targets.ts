import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../../src/checkpoint/config.js';
import { openSafetensors } from '../../src/checkpoint/safetensors.js';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { AlbenchError } from '../../src/errors.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { readModelProto } from '../../src/onnx/serde.js';
import { CHECKPOINTS, FIXTURES, tempDir } from '../helpers/paths.js';
import { mutate } from './mutate.js';
import { mutateJsonText } from './mutate-json.js';
import { pickleInZipSeed, safetensorsHeaderSeed, type FuzzSeed } from './structured.js';

/**
 * One fuzz target per parser: seed inputs, and a run that must either succeed or throw one of
 * albench's typed errors. Anything else (TypeError, RangeError, a hang) is a finding.
 */
export interface FuzzTarget {
  readonly name: string;
  seeds(): FuzzSeed[] | Promise<FuzzSeed[]>;
  /** How a seed's bytes are mutated; plain byte mutations unless the target says otherwise. */
  readonly mutate?: (bytes: Uint8Array, rand: () => number) => Uint8Array;
  /** `file` is a scratch path the bytes are written to for readers that take a path. */
  run(bytes: Uint8Array, file: string): void;
}

const readAll = (file: string): FuzzSeed => ({ bytes: Uint8Array.from(fs.readFileSync(file)) });
const checkpointFile = (name: string, file: string) => path.join(CHECKPOINTS, name, file);
const ONNX_SEED = path.join(FIXTURES, 'torch-onnx', 'bert-tiny-cls.onnx');

/** albench's own reader only takes what convert writes, so its seed is a fixture converted now. */
async function convertedOnnxSeed(name: string): Promise<FuzzSeed> {
  const dir = tempDir('albench-fuzz-seed-');
  try {
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, name) }, outDir: path.join(dir, name), validate: false });
    return readAll(path.join(dir, name, MODEL_PATH));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function consumeStateDict(sd: { tensors: ReadonlyMap<string, { bytes(): Uint8Array }>; close(): void }): void {
  try {
    for (const t of sd.tensors.values()) t.bytes();
  } finally {
    sd.close();
  }
}

const readSafetensors = (bytes: Uint8Array, file: string) => {
  fs.writeFileSync(file, bytes);
  consumeStateDict(openSafetensors(file));
};
const readTorchBin = (bytes: Uint8Array, file: string) => {
  fs.writeFileSync(file, bytes);
  consumeStateDict(openTorchBin(file));
};

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'safetensors',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-cls-legacy-keys'].map((n) => readAll(checkpointFile(n, 'model.safetensors'))),
    run: readSafetensors,
  },
  {
    name: 'safetensors header',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-cls-legacy-keys'].map((n) => safetensorsHeaderSeed(checkpointFile(n, 'model.safetensors'))),
    mutate: mutateJsonText,
    run: readSafetensors,
  },
  {
    name: 'torch-bin (zip + pickle)',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-mlm'].map((n) => readAll(checkpointFile(n, 'pytorch_model.bin'))),
    run: readTorchBin,
  },
  {
    name: 'torch-bin pickle (CRC ok)',
    seeds: () => ['albert-tiny-cls', 'bert-tiny-mlm'].map((n) => pickleInZipSeed(checkpointFile(n, 'pytorch_model.bin'))),
    run: readTorchBin,
  },
  {
    name: 'config.json',
    seeds: () => ['albert-tiny-groups', 'bert-tiny-regression'].map((n) => readAll(checkpointFile(n, 'config.json'))),
    mutate: (bytes, rand) => (rand() < 0.5 ? mutate(bytes, rand) : mutateJsonText(bytes, rand)),
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      readConfigFile(file);
    },
  },
  {
    name: 'onnx protobuf',
    seeds: () => [readAll(ONNX_SEED)],
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      readModelProto(file);
    },
  },
  {
    name: 'onnx reader (from-proto)',
    seeds: () => Promise.all(['bert-tiny-cls', 'albert-tiny-groups'].map(convertedOnnxSeed)),
    run: (bytes, file) => {
      fs.writeFileSync(file, bytes);
      readOnnxModel(file);
    },
  },
];

/**
 * A refusal is one of albench's typed errors that wraps nothing unforeseen. A typed error whose
 * `cause` chain holds a foreign error (a TypeError caught by a reader's catch-all) hides a bug, so
 * it is a crash; an I/O error from the system (it names a syscall) is not a bug in the parser.
 */
export function isExpectedError(e: unknown): boolean {
  if (!(e instanceof AlbenchError)) return false;
  for (let cause: unknown = e.cause; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
    if (cause instanceof AlbenchError) continue;
    return typeof (cause as { syscall?: unknown }).syscall === 'string';
  }
  return true;
}

export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? ` (cause: ${describeError(e.cause)})` : '';
  return `${e.name}: ${e.message}${cause}`;
}
