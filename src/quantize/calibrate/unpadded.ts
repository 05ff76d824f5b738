/**
 * The values of an activation at real token positions only. Padded positions carry whatever
 * attention over padding produces; they never reach a prediction, and their values must not
 * stretch a range. An activation laid out [batch, sequence, ...] (rank 3 or more, leading axes
 * matching the mask) is filtered by the mask; any other ([batch, hidden] after pooling) is whole.
 */
export function unpaddedValues(data: Float32Array, dims: readonly number[], mask: BigInt64Array, maskDims: readonly [number, number]): Float32Array {
  const [batch, sequence] = maskDims;
  if (dims.length < 3 || dims[0] !== batch || dims[1] !== sequence) return data;
  const row = data.length / (batch * sequence);
  let real = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0n) real++;
  if (real === mask.length) return data;
  const out = new Float32Array(real * row);
  let at = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0n) continue;
    out.set(data.subarray(i * row, (i + 1) * row), at);
    at += row;
  }
  return out;
}
