/**
 * The reference's matrix kernel as a WebAssembly module spelled out here, instruction by
 * instruction: WebAssembly's 128-bit SIMD does two float64 multiply-adds per instruction, which
 * plain JavaScript cannot, and the kernel is small enough to write without a compiler.
 *
 *   linear(x, w, y, rows, k, out): y[r, o] = sum_i x[r, i] * w[o, i]
 *
 * x is float64 [rows, k], w float32 [out, k] (PyTorch's Linear layout, no transpose), y float64
 * [rows, out]; arguments are byte addresses in the imported memory and sizes; rows must be a
 * multiple of 4, k and out of 2 (the caller pads with zeros). Each step of the inner loop reads two
 * weights of two output features (widened to float64, exactly) and two inputs of four rows, and
 * keeps eight pairs of partial sums, even and odd i apart, added together at the end.
 */

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return out;
};
const vec = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...Buffer.from(s)].map((b) => [b]));

// Instructions, named as in the text format; `simd` ones carry the 0xfd prefix.
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const tee = (l: number) => [0x22, ...uleb(l)];
const i32Const = (n: number) => [0x41, ...uleb(n)]; // only small non-negative constants (< 64) are used: the same bytes as sleb128
const I32_ADD = [0x6a];
const I32_MUL = [0x6c];
const I32_GE_U = [0x4f];
const F64_ADD = [0xa0];
const f64Store = (offset: number) => [0x39, 3, ...uleb(offset)];
const V128_LOAD = simd(0x00, 4, 0);
const V128_LOAD64_ZERO = simd(0x5d, 3, 0);
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const f64x2ExtractLane = (lane: number) => simd(0x21, lane);
/** block { loop { if (cond) break; body; continue } }: cond is the exit test. */
const whileNot = (exit: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];

// Locals: the six parameters, then fifteen i32 and eleven v128 locals.
const X = 0, W = 1, Y = 2, ROWS = 3, K = 4, OUT = 5;
const K4 = 6, K8 = 7, OUT8 = 8, O = 9, WA = 10, WB = 11, R = 12, XA = 13, XB = 14, XC = 15, XD = 16, PA = 17, PB = 18, END = 19, YAT = 20;
const [U, V, T] = [21, 22, 23];
const ACC = (j: number) => 24 + j;
const XS = [XA, XB, XC, XD];

function body(): number[] {
  const rowStep = [
    ...get(X), ...get(R), ...get(K8), ...I32_MUL, ...I32_ADD, ...tee(XA), ...get(K8), ...I32_ADD, ...tee(XB),
    ...get(K8), ...I32_ADD, ...tee(XC), ...get(K8), ...I32_ADD, ...set(XD),
    ...get(WA), ...set(PA), ...get(WB), ...set(PB), ...get(WA), ...get(K4), ...I32_ADD, ...set(END),
    ...Array.from({ length: 8 }, (_, j) => [...V128_ZERO, ...set(ACC(j))]).flat(),
    ...whileNot([...get(PA), ...get(END), ...I32_GE_U], [
      ...get(PA), ...V128_LOAD64_ZERO, ...F64X2_PROMOTE_LOW_F32X4, ...set(U),
      ...get(PB), ...V128_LOAD64_ZERO, ...F64X2_PROMOTE_LOW_F32X4, ...set(V),
      ...XS.flatMap((xr, j) => [
        ...get(xr), ...V128_LOAD, ...set(T),
        ...get(ACC(2 * j)), ...get(T), ...get(U), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC(2 * j)),
        ...get(ACC(2 * j + 1)), ...get(T), ...get(V), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC(2 * j + 1)),
      ]),
      ...get(PA), ...i32Const(8), ...I32_ADD, ...set(PA), ...get(PB), ...i32Const(8), ...I32_ADD, ...set(PB),
      ...XS.flatMap((xr) => [...get(xr), ...i32Const(16), ...I32_ADD, ...set(xr)]),
    ]),
    // y[r + j, o + c] = both halves of ACC(2j + c); YAT walks down the four rows.
    ...get(Y), ...get(R), ...get(OUT8), ...I32_MUL, ...I32_ADD, ...get(O), ...i32Const(8), ...I32_MUL, ...I32_ADD, ...set(YAT),
    ...[0, 1, 2, 3].flatMap((j) => [
      ...[0, 1].flatMap((c) => [...get(YAT), ...get(ACC(2 * j + c)), ...f64x2ExtractLane(0), ...get(ACC(2 * j + c)), ...f64x2ExtractLane(1),
        ...F64_ADD, ...f64Store(8 * c)]),
      ...get(YAT), ...get(OUT8), ...I32_ADD, ...set(YAT),
    ]),
    ...get(R), ...i32Const(4), ...I32_ADD, ...set(R),
  ];
  return [
    ...get(K), ...i32Const(4), ...I32_MUL, ...set(K4), ...get(K), ...i32Const(8), ...I32_MUL, ...set(K8),
    ...get(OUT), ...i32Const(8), ...I32_MUL, ...set(OUT8), ...get(W), ...set(WA),
    ...whileNot([...get(O), ...get(OUT), ...I32_GE_U], [
      ...get(WA), ...get(K4), ...I32_ADD, ...set(WB), ...i32Const(0), ...set(R),
      ...whileNot([...get(R), ...get(ROWS), ...I32_GE_U], rowStep),
      ...get(WB), ...get(K4), ...I32_ADD, ...set(WA), ...get(O), ...i32Const(2), ...I32_ADD, ...set(O),
    ]),
    0x0b,
  ];
}

/** The module's bytes: one function `linear` over an imported memory `env.memory`. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const V128 = 0x7b;
  const code = [...vec([[...uleb(15), I32], [...uleb(11), V128]]), ...body()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...name('linear'), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}
