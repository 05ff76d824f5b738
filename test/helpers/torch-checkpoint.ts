import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PickleWriter } from './pickle-writer.js';
import { writeZip, type ZipWriterEntry, type ZipWriterOptions } from './zip-writer.js';

/**
 * Builds torch-format checkpoints (zip of data.pkl + data/<key>) the way torch.save lays them
 * out, so tests can vary one thing at a time: a view, a storage, a global, the archive.
 */
export interface TensorSpec {
  readonly storageKey: string;
  /** e.g. 'FloatStorage'. */
  readonly storageClass?: string;
  readonly storageNumel: number;
  readonly offset?: number;
  readonly shape: readonly number[];
  /** Defaults to row-major. */
  readonly stride?: readonly number[];
  /** Wrap in torch._utils._rebuild_parameter, as a saved nn.Parameter is. */
  readonly asParameter?: boolean;
}

export function rowMajorStride(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) stride[d] = stride[d + 1]! * shape[d + 1]!;
  return stride;
}

/** Appends one `_rebuild_tensor_v2(...)` call to the writer, leaving the tensor on the stack. */
export function writeTensor(p: PickleWriter, spec: TensorSpec): PickleWriter {
  if (spec.asParameter === true) p.global('torch._utils', '_rebuild_parameter').mark();
  p.global('torch._utils', '_rebuild_tensor_v2').mark();
  p.mark().str('storage').global('torch', spec.storageClass ?? 'FloatStorage').str(spec.storageKey).str('cpu').int(spec.storageNumel).tuple().persid();
  p.int(spec.offset ?? 0);
  p.mark();
  for (const d of spec.shape) p.int(d);
  p.tuple().mark();
  for (const s of spec.stride ?? rowMajorStride(spec.shape)) p.int(s);
  p.tuple().bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
  if (spec.asParameter === true) p.bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
  return p;
}

/** A complete state-dict pickle: `{name: tensor, ...}` as torch.save writes a plain dict. */
export function stateDictPickle(tensors: Readonly<Record<string, TensorSpec>>): Uint8Array {
  const p = new PickleWriter().proto(2).emptyDict().mark();
  for (const [name, spec] of Object.entries(tensors)) writeTensor(p.str(name), spec);
  return p.setitems().stop().toBytes();
}

export interface ArchiveParts {
  readonly pickle: Uint8Array;
  readonly storages?: Readonly<Record<string, Uint8Array>>;
  readonly folder?: string;
  /** More entries, e.g. hostile ones, appended as given. */
  readonly extra?: readonly ZipWriterEntry[];
  readonly zip?: ZipWriterOptions;
}

export function torchArchive(parts: ArchiveParts): Uint8Array {
  const folder = parts.folder ?? 'archive';
  const entries: ZipWriterEntry[] = [{ name: `${folder}/data.pkl`, data: parts.pickle }];
  for (const [key, data] of Object.entries(parts.storages ?? {})) entries.push({ name: `${folder}/data/${key}`, data });
  entries.push({ name: `${folder}/version`, data: new TextEncoder().encode('3\n') });
  entries.push(...(parts.extra ?? []));
  return writeZip(entries, parts.zip);
}

export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** A scratch folder removed by `remove()`; tests write their crafted files here. */
export class ScratchDir {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-torchbin-'));
  write(name: string, bytes: Uint8Array): string {
    const file = path.join(this.root, name);
    fs.writeFileSync(file, bytes);
    return file;
  }
  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
