/**
 * Reusable buffers, one per named slot, grown on demand and kept: faulting in fresh pages costs
 * more than reading the same bytes from the page cache, so hot paths reuse memory instead of
 * allocating it per tensor.
 */
const slots = new Map<string, ArrayBuffer>();

export function scratch(slot: string, bytes: number): Uint8Array {
  let buf = slots.get(slot);
  if (buf === undefined || buf.byteLength < bytes) {
    buf = new ArrayBuffer(bytes);
    slots.set(slot, buf);
  }
  return new Uint8Array(buf, 0, bytes);
}
