/** A seeded byte mutator: flips, interesting values, truncation, duplication, insertion, splicing. */
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x20, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x30, 0x39];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rand() * Math.max(1, n));
  let out: Uint8Array = Uint8Array.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(out.length);
    switch (pick(7)) {
      case 0: if (out.length) out[at] = (out[at] ?? 0) ^ (1 << pick(8)); break;
      case 1: if (out.length) out[at] = INTERESTING[pick(INTERESTING.length)] ?? 0; break;
      case 2: out = out.subarray(0, at); break;
      case 3: {
        const len = pick(64);
        out = concat(out.subarray(0, at), out.subarray(at, at + len), out.subarray(at));
        break;
      }
      case 4: {
        const extra = Uint8Array.from({ length: pick(16) }, () => pick(256));
        out = concat(out.subarray(0, at), extra, out.subarray(at));
        break;
      }
      case 5: out = concat(out.subarray(0, at), out.subarray(at + pick(64))); break;
      default: {
        // Overwrite a little-endian integer field with a boundary value (lengths, offsets, counts).
        const v = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000][pick(5)] ?? 0;
        for (let i = 0; i < 4 && at + i < out.length; i++) out[at + i] = (v >>> (8 * i)) & 0xff;
      }
    }
  }
  return out;
}
