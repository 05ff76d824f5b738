/**
 * A read-only darts-clone double array: the trie format sentencepiece stores its normalization rules
 * in. Each 32-bit unit packs a label byte, a has-leaf bit and the offset to its children; a leaf
 * unit holds the key's value.
 */
export class DoubleArray {
  /** The value of the key the last longestPrefix call found. */
  matchValue = 0;

  constructor(private readonly units: Uint32Array) {}

  /** Length of the longest key that is a prefix of bytes[start, end), or 0; its value goes to matchValue. */
  longestPrefix(bytes: Uint8Array, start: number, end: number): number {
    const units = this.units;
    let id = offsetOf(units[0] ?? 0);
    let length = 0;
    for (let i = start; i < end; i++) {
      const label = bytes[i] as number;
      id ^= label;
      const unit = units[id];
      // The high bit marks leaf units, so a leaf never matches a label.
      if (unit === undefined || (unit & 0x800000ff) !== label) break;
      id ^= offsetOf(unit);
      if ((unit >>> 8) & 1) {
        this.matchValue = (units[id] as number) & 0x7fffffff;
        length = i - start + 1;
      }
    }
    return length;
  }
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & 0x200) >>> 6);
}
