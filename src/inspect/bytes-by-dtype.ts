import type { StateDict } from '../checkpoint/types.js';
import { byteLength } from '../tensor.js';

/** Bytes on disk per dtype, over every tensor the file stores (buffers and unused heads included). */
export function bytesByDtype(sd: StateDict): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of sd.tensors.values()) out[t.dtype] = (out[t.dtype] ?? 0) + byteLength(t);
  return out;
}
