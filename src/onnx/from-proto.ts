import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { OnnxError } from '../errors.js';
import { byteLength, DTYPE_BYTES, memoryTensor, type DType, type TensorSource } from '../tensor.js';
import type { Attribute, Dim, Initializer, OnnxModel, OnnxNode, ValueInfo } from './model.js';
import { ONNX_DTYPES, readModelProto } from './serde.js';

const { onnx } = onnxProto;

const DTYPE_OF: ReadonlyMap<number, DType> = new Map(Object.entries(ONNX_DTYPES).map(([k, v]) => [v, k as DType]));

/** The graph inputs every BERT/ALBERT encoder made by `albench convert` (and by optimum) has. */
const REQUIRED_INPUT = 'input_ids';

function dtypeOf(file: string, code: number | null | undefined, what: string): DType {
  const dtype = DTYPE_OF.get(code ?? 0);
  if (dtype === undefined) throw new OnnxError(file, `${what} has ONNX data type ${code ?? 'unset'}, which albench does not handle`);
  return dtype;
}

function attributeOf(file: string, node: string, a: onnxProto.onnx.IAttributeProto): Attribute {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return { kind: 'int', value: Number(a.i ?? 0) };
    case T.FLOAT: return { kind: 'float', value: a.f ?? 0 };
    case T.INTS: return { kind: 'ints', value: (a.ints ?? []).map(Number) };
    case T.FLOATS: return { kind: 'floats', value: [...(a.floats ?? [])] };
    case T.STRING: return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    default: throw new OnnxError(file, `node ${node} has attribute ${a.name ?? '?'} of a kind albench does not rewrite (type ${a.type ?? 'unset'})`);
  }
}

function valueInfoOf(file: string, v: onnxProto.onnx.IValueInfoProto): ValueInfo {
  const t = v.type?.tensorType;
  const name = v.name ?? '';
  const dims: Dim[] = (t?.shape?.dim ?? []).map((d, i) =>
    (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? Number(d.dimValue) : `${name}_dim${i}`));
  return { name, dtype: dtypeOf(file, t?.elemType, `graph input/output ${name}`), dims };
}

/** Reads an external-data tensor on demand, so a model over 2 GB is never wholly in memory. */
function externalTensor(file: string, t: onnxProto.onnx.ITensorProto, dtype: DType, shape: number[]): TensorSource {
  const entry = (key: string) => t.externalData?.find((e) => e.key === key)?.value ?? undefined;
  const location = entry('location');
  if (location === undefined || path.isAbsolute(location) || location.split(/[\\/]/).includes('..')) {
    throw new OnnxError(file, `initializer ${t.name ?? '?'} points to external data outside the model's folder`);
  }
  const dataFile = path.join(path.dirname(file), location);
  const offset = Number(entry('offset') ?? 0);
  const length = byteLength({ dtype, shape });
  if (!fs.existsSync(dataFile) || fs.statSync(dataFile).size < offset + length) {
    throw new OnnxError(file, `external data file ${location} is missing or shorter than initializer ${t.name ?? '?'} needs`);
  }
  return {
    dtype, shape,
    bytes: () => {
      const fd = fs.openSync(dataFile, 'r');
      try {
        const out = new Uint8Array(length);
        fs.readSync(fd, out, 0, length, offset);
        return out;
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

function tensorOf(file: string, t: onnxProto.onnx.ITensorProto): TensorSource {
  const name = t.name ?? '?';
  const dtype = dtypeOf(file, t.dataType, `initializer ${name}`);
  const shape = (t.dims ?? []).map(Number);
  const length = byteLength({ dtype, shape });
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return externalTensor(file, t, dtype, shape);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== length) {
      throw new OnnxError(file, `initializer ${name} holds ${t.rawData.length} bytes, its shape needs ${length}; is the file truncated?`);
    }
    // A view into the file's bytes (protobufjs slices without copying), re-wrapped as a plain
    // Uint8Array: Buffer's slice() is a view too, and callers rely on Uint8Array's copying slice().
    const raw = new Uint8Array(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    return { dtype, shape, bytes: () => raw };
  }
  // Small tensors written by other tools may use the typed repeated fields instead of raw_data.
  const count = length / DTYPE_BYTES[dtype];
  const typed = dtype === 'float32' ? Float32Array.from(t.floatData ?? [])
    : dtype === 'float64' ? Float64Array.from(t.doubleData ?? [])
      : dtype === 'int64' ? BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(v.toString())))
        : dtype === 'int32' ? Int32Array.from(t.int32Data ?? [])
          : null;
  if (typed === null || typed.length !== count) throw new OnnxError(file, `initializer ${name} (${dtype}) has no data albench can read`);
  return memoryTensor(dtype, shape, typed);
}

function nodeOf(file: string, n: onnxProto.onnx.INodeProto, index: number): OnnxNode {
  const name = n.name || `${n.opType ?? 'node'}_${index}`;
  const attributes: Record<string, Attribute> = {};
  for (const a of n.attribute ?? []) attributes[a.name ?? ''] = attributeOf(file, name, a);
  return { opType: n.opType ?? '', domain: n.domain ?? '', name, inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attributes };
}

/** Every value a node reads must come from somewhere; a truncated or hand-edited file breaks this first. */
function checkWiring(file: string, m: OnnxModel): void {
  const known = new Set<string>(['', ...m.graph.inputs.map((v) => v.name), ...m.graph.initializers.map((i) => i.name)]);
  for (const n of m.graph.nodes) {
    for (const i of n.inputs) {
      if (!known.has(i)) throw new OnnxError(file, `node ${n.name} reads ${i}, which no node, input or initializer produces; is the file truncated?`);
    }
    for (const o of n.outputs) known.add(o);
  }
  for (const o of m.graph.outputs) {
    if (!known.has(o.name)) throw new OnnxError(file, `graph output ${o.name} is not produced by any node; is the file truncated?`);
  }
}

/**
 * Decodes an ONNX file into the plain OnnxModel that builders produce, so rewrites work on plain
 * data and the result goes out through writeModel. Initializer bytes stay views into the decoded
 * file. Only encoder graphs (an int64 `input_ids` input) are accepted.
 */
export function readOnnxModel(file: string): OnnxModel {
  const proto = readModelProto(file);
  const g = proto.graph;
  if (!g) throw new OnnxError(file, 'has no graph');
  const initializers: Initializer[] = (g.initializer ?? []).map((t) => ({ name: t.name ?? '', tensor: tensorOf(file, t) }));
  const initNames = new Set(initializers.map((i) => i.name));
  const model: OnnxModel = {
    irVersion: Number(proto.irVersion ?? 0),
    opsets: (proto.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: Number(o.version ?? 0) })),
    producerName: proto.producerName ?? '',
    producerVersion: proto.producerVersion ?? '',
    metadata: Object.fromEntries((proto.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
    graph: {
      name: g.name ?? '',
      nodes: (g.node ?? []).map((n, i) => nodeOf(file, n, i)),
      // Old exporters list initializers as graph inputs too; they are not inputs a caller feeds.
      inputs: (g.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map((v) => valueInfoOf(file, v)),
      outputs: (g.output ?? []).map((v) => valueInfoOf(file, v)),
      initializers,
    },
  };
  const ids = model.graph.inputs.find((v) => v.name === REQUIRED_INPUT);
  if (ids === undefined || ids.dtype !== 'int64') {
    throw new OnnxError(file, `is not a BERT/ALBERT encoder graph (no int64 ${REQUIRED_INPUT} input); convert the checkpoint with \`albench convert\` first`);
  }
  if (model.graph.nodes.length === 0) throw new OnnxError(file, 'has an empty graph; is the file truncated?');
  checkWiring(file, model);
  return model;
}
