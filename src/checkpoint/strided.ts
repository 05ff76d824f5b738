/**
 * Geometry of torch's strided views (sizes, strides and offsets counted in elements) and the
 * copy that turns a non-contiguous view into the row-major bytes a TensorSource promises.
 */

/** True when the view is row-major with no gaps; strides of size-1 dims do not matter. */
export function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size !== 1 && stride[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/** Elements from the view's first element to its last, inclusive; 0 for an empty view. */
export function viewSpan(shape: readonly number[], stride: readonly number[]): number {
  let last = 0;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 0) return 0;
    last += (size - 1) * stride[d]!;
  }
  return last + 1;
}

/**
 * Row-major copy of a non-empty view whose elements lie in `span`, which starts at the view's
 * first element. Walks the indices with an odometer, copying whole rows when the last dim is dense.
 */
export function gatherStrided(span: Uint8Array, itemSize: number, shape: readonly number[], stride: readonly number[]): Uint8Array {
  const rank = shape.length;
  let count = 1;
  for (const size of shape) count *= size;
  const out = new Uint8Array(count * itemSize);
  if (rank === 0) {
    out.set(span.subarray(0, itemSize));
    return out;
  }
  const rowLength = shape[rank - 1]!;
  const rowStride = stride[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  let rowStart = 0;
  for (let written = 0; written < out.length; ) {
    if (rowStride === 1) {
      out.set(span.subarray(rowStart * itemSize, (rowStart + rowLength) * itemSize), written);
      written += rowLength * itemSize;
    } else {
      for (let i = 0; i < rowLength; i++) {
        const from = (rowStart + i * rowStride) * itemSize;
        for (let b = 0; b < itemSize; b++) out[written++] = span[from + b]!;
      }
    }
    // Advance the outer dims like an odometer, keeping rowStart in step.
    for (let d = rank - 2; d >= 0; d--) {
      const next = index[d]! + 1;
      rowStart += stride[d]!;
      if (next < shape[d]!) {
        index[d] = next;
        break;
      }
      rowStart -= next * stride[d]!;
      index[d] = 0;
    }
  }
  return out;
}
