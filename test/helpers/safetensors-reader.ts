import fs from 'node:fs';

/**
 * Just enough safetensors parsing to serve as the reference the torch reader is checked
 * against: 8-byte little-endian header length, JSON header, then the raw data.
 */
export interface ReferenceTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

const DTYPES: Readonly<Record<string, string>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', I64: 'int64', I32: 'int32' };

export function readSafetensors(file: string): Map<string, ReferenceTensor> {
  const all = fs.readFileSync(file);
  const headerLength = Number(all.readBigUInt64LE(0));
  const header = JSON.parse(all.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, ReferenceTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [begin, end] } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const mapped = DTYPES[dtype];
    if (mapped === undefined) throw new Error(`safetensors-reader: dtype ${dtype} not handled`);
    tensors.set(name, { dtype: mapped, shape, bytes: all.subarray(dataStart + begin, dataStart + end) });
  }
  return tensors;
}
