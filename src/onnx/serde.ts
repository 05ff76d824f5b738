import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { OnnxError } from '../errors.js';
import { byteLength, tensorChunks, type DType } from '../tensor.js';
import { replaceAtomicSteps } from '../util/atomic.js';
import { runSteps, runStepsYielding, type Steps } from '../util/steps.js';
import type { Attribute, Initializer, OnnxModel, ValueInfo } from './model.js';

const { onnx } = onnxProto;

/** A protobuf message may not exceed 2 GiB; past this, tensor data goes to an external file. */
const EXTERNAL_DATA_THRESHOLD = 2 ** 31 - 64 * 2 ** 20;
/** Small tensors (shapes, scalars) stay inline: runtimes need them for shape inference, as onnx's own tool does. */
const EXTERNAL_MIN_TENSOR_BYTES = 1024;
/** Data in the external file is aligned so runtimes can mmap tensors directly. */
const EXTERNAL_ALIGNMENT = 4096;

export const ONNX_DTYPES: Readonly<Record<DType, number>> = {
  float32: onnx.TensorProto.DataType.FLOAT, float16: onnx.TensorProto.DataType.FLOAT16,
  bfloat16: onnx.TensorProto.DataType.BFLOAT16, float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64, int32: onnx.TensorProto.DataType.INT32,
  int16: onnx.TensorProto.DataType.INT16, int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8, bool: onnx.TensorProto.DataType.BOOL,
};

function attributeProto(name: string, a: Attribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int': return { name, type: T.INT, i: a.value };
    case 'float': return { name, type: T.FLOAT, f: a.value };
    case 'ints': return { name, type: T.INTS, ints: [...a.value] };
    case 'floats': return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string': return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function valueInfoProto(v: ValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ONNX_DTYPES[v.dtype],
        ...(v.dims === null ? {} : { shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }),
      },
    },
  };
}

function varint(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

/** Field tag of a length-delimited protobuf field. */
const lengthDelimited = (field: number): Uint8Array => varint(field * 8 + 2);

const GRAPH_FIELD = 7; // ModelProto.graph
const INITIALIZER_FIELD = 5; // GraphProto.initializer
const RAW_DATA_FIELD = 9; // TensorProto.raw_data

interface WriteOptions {
  /** Store tensor data in `<file>_data` when it exceeds this many bytes (default: just under 2 GiB). */
  readonly externalDataThreshold?: number;
}

interface WrittenModel { readonly bytes: number; readonly externalDataFile: string | null }

/** An initializer's TensorProto without its data, and where its `length` data bytes go. */
interface TensorHeader { readonly header: Uint8Array; readonly length: number; readonly inline: boolean }

/** Small tensors stay inline even when the rest goes to `dataFileName`, each external one aligned in it. */
function tensorHeaders(initializers: readonly Initializer[], external: boolean, dataFileName: string): TensorHeader[] {
  let externalOffset = 0;
  return initializers.map(({ name, tensor }) => {
    const length = byteLength(tensor);
    const base: onnxProto.onnx.ITensorProto = { name, dims: [...tensor.shape], dataType: ONNX_DTYPES[tensor.dtype] };
    if (!external || length < EXTERNAL_MIN_TENSOR_BYTES) return { header: onnx.TensorProto.encode(base).finish(), length, inline: true };
    externalOffset = Math.ceil(externalOffset / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
    const withLocation: onnxProto.onnx.ITensorProto = {
      ...base,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: dataFileName },
        { key: 'offset', value: String(externalOffset) },
        { key: 'length', value: String(length) },
      ],
    };
    externalOffset += length;
    return { header: onnx.TensorProto.encode(withLocation).finish(), length, inline: false };
  });
}

/** The GraphProto without its initializers, which are appended piece by piece. */
function graphSkeleton(g: OnnxModel['graph']): Uint8Array {
  return onnx.GraphProto.encode({
    name: g.name,
    node: g.nodes.map((n) => ({
      opType: n.opType, domain: n.domain, name: n.name, input: [...n.inputs], output: [...n.outputs],
      attribute: Object.entries(n.attributes).map(([k, a]) => attributeProto(k, a)),
    })),
    input: g.inputs.map(valueInfoProto),
    output: g.outputs.map(valueInfoProto),
  }).finish();
}

/** The ModelProto fields before its graph. */
function modelHead(model: OnnxModel): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: model.irVersion,
    opsetImport: model.opsets.map((o) => ({ domain: o.domain, version: o.version })),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  }).finish();
}

const tensorMessageLength = (t: TensorHeader): number =>
  t.header.length + (t.inline ? lengthDelimited(RAW_DATA_FIELD).length + varint(t.length).length + t.length : 0);

function graphMessageLength(skeleton: Uint8Array, headers: readonly TensorHeader[]): number {
  return skeleton.length + headers.reduce((sum, t) => {
    const n = tensorMessageLength(t);
    return sum + lengthDelimited(INITIALIZER_FIELD).length + varint(n).length + n;
  }, 0);
}

/**
 * Streams the model into `modelFile` (and external tensor data into `dataFile`), one initializer a
 * step; returns the model file's byte count.
 */
function* writeModelFiles(model: OnnxModel, headers: readonly TensorHeader[], modelFile: string, dataFile: string | null, file: string): Steps<number> {
  const skeleton = graphSkeleton(model.graph);
  const fd = fs.openSync(modelFile, 'w');
  let dataFd: number | null = null;
  let written = 0;
  const put = (b: Uint8Array) => {
    fs.writeSync(fd, b);
    written += b.length;
  };
  try {
    if (dataFile !== null) dataFd = fs.openSync(dataFile, 'w');
    put(modelHead(model));
    put(lengthDelimited(GRAPH_FIELD));
    put(varint(graphMessageLength(skeleton, headers)));
    put(skeleton);
    let dataPosition = 0;
    for (const [i, { name, tensor }] of model.graph.initializers.entries()) {
      const t = headers[i];
      if (t === undefined) throw new Error('unreachable: a header per initializer');
      put(lengthDelimited(INITIALIZER_FIELD));
      put(varint(tensorMessageLength(t)));
      put(t.header);
      if (t.inline) {
        put(lengthDelimited(RAW_DATA_FIELD));
        put(varint(t.length));
      } else {
        dataPosition = Math.ceil(dataPosition / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
      }
      let produced = 0;
      for (const chunk of tensorChunks(tensor)) {
        produced += chunk.length;
        if (produced > t.length) continue;
        if (t.inline) put(chunk);
        else if (dataFd !== null) {
          fs.writeSync(dataFd, chunk, 0, chunk.length, dataPosition);
          dataPosition += chunk.length;
        }
        yield;
      }
      if (produced !== t.length) throw new OnnxError(file, `initializer ${name} produced ${produced} bytes, expected ${t.length}`);
    }
  } finally {
    fs.closeSync(fd);
    if (dataFd !== null) fs.closeSync(dataFd);
  }
  return written;
}

function* writeModelSteps(model: OnnxModel, file: string, opts: WriteOptions): Steps<WrittenModel> {
  const dataBytes = model.graph.initializers.reduce((sum, i) => sum + byteLength(i.tensor), 0);
  const external = dataBytes > (opts.externalDataThreshold ?? EXTERNAL_DATA_THRESHOLD);
  const dataFileName = `${path.basename(file)}_data`;
  const headers = tensorHeaders(model.graph.initializers, external, dataFileName);
  const bytes = yield* replaceAtomicSteps(file, (tmp) => {
    if (!external) return writeModelFiles(model, headers, tmp, null, file);
    return replaceAtomicSteps(path.join(path.dirname(file), dataFileName), (tmpData) => writeModelFiles(model, headers, tmp, tmpData, file));
  });
  return { bytes, externalDataFile: external ? dataFileName : null };
}

/**
 * Writes the model without ever holding the serialized file in memory: protobuf lets a message
 * be split into concatenated pieces, so the skeleton is encoded once and each tensor's bytes are
 * asked for and written one at a time. The file appears under its name only when complete, after
 * its external data file.
 */
export function writeModel(model: OnnxModel, file: string, opts: WriteOptions = {}): WrittenModel {
  return runSteps(writeModelSteps(model, file, opts));
}

/** writeModel letting the event loop run between chunks (4 MB at most), so Ctrl-C during a multi-second write is handled at once. */
export function writeModelYielding(model: OnnxModel, file: string, opts: WriteOptions = {}): Promise<WrittenModel> {
  return runStepsYielding(writeModelSteps(model, file, opts));
}

/** Decodes an ONNX file into onnx-proto's classes; a file that is not ONNX gives an OnnxError. */
export function readModelProto(file: string): onnxProto.onnx.ModelProto {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new OnnxError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const model = onnx.ModelProto.decode(bytes);
    if (!model.graph) throw new Error('no graph');
    return model;
  } catch {
    throw new OnnxError(file, 'is not a valid ONNX model (protobuf decoding failed or no graph); is it truncated?');
  }
}
