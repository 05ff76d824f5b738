/**
 * Writes pickles opcode by opcode, so tests can craft exact byte sequences, hostile or malformed
 * ones included, without Python and without committing binary blobs.
 */
export class PickleWriter {
  private buffer = new Uint8Array(1024);
  private length = 0;

  /** Any opcode byte(s), for sequences the named methods cannot express. */
  raw(...bytes: number[]): this {
    if (this.length + bytes.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + bytes.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  proto(version = 2): this { return this.raw(0x80, version); }
  frame(length: number): this { return this.raw(0x95, ...le(BigInt(length), 8)); }
  stop(): this { return this.raw(0x2e); }
  mark(): this { return this.raw(0x28); }
  emptyDict(): this { return this.raw(0x7d); }
  emptyList(): this { return this.raw(0x5d); }
  emptyTuple(): this { return this.raw(0x29); }
  tuple(): this { return this.raw(0x74); }
  tuple1(): this { return this.raw(0x85); }
  tuple2(): this { return this.raw(0x86); }
  tuple3(): this { return this.raw(0x87); }
  append(): this { return this.raw(0x61); }
  appends(): this { return this.raw(0x65); }
  setitem(): this { return this.raw(0x73); }
  setitems(): this { return this.raw(0x75); }
  none(): this { return this.raw(0x4e); }
  bool(value: boolean): this { return this.raw(value ? 0x88 : 0x89); }
  reduce(): this { return this.raw(0x52); }
  build(): this { return this.raw(0x62); }
  persid(): this { return this.raw(0x51); }
  stackGlobal(): this { return this.raw(0x93); }
  memoize(): this { return this.raw(0x94); }
  put(index: number): this { return index < 256 ? this.raw(0x71, index) : this.raw(0x72, ...u32(index)); }
  get(index: number): this { return index < 256 ? this.raw(0x68, index) : this.raw(0x6a, ...u32(index)); }

  /** The smallest int opcode that holds the value, as Python's pickler chooses. */
  int(value: number | bigint): this {
    const v = BigInt(value);
    if (v >= 0n && v < 256n) return this.raw(0x4b, Number(v));
    if (v >= 0n && v < 65536n) return this.raw(0x4d, ...le(v, 2));
    if (v >= -(2n ** 31n) && v < 2n ** 31n) return this.raw(0x4a, ...le(v, 4));
    let length = 1;
    while (v >= 2n ** BigInt(8 * length - 1) || v < -(2n ** BigInt(8 * length - 1))) length++;
    return this.raw(0x8a, length, ...le(v, length));
  }

  float(value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, false);
    return this.raw(0x47, ...bytes);
  }

  str(value: string): this {
    const bytes = new TextEncoder().encode(value);
    return bytes.length < 256 ? this.raw(0x8c, bytes.length, ...bytes) : this.raw(0x58, ...u32(bytes.length), ...bytes);
  }

  bytes(value: Uint8Array): this {
    return value.length < 256 ? this.raw(0x43, value.length, ...value) : this.raw(0x42, ...u32(value.length), ...value);
  }

  global(module: string, name: string): this {
    return this.raw(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** Little-endian two's complement in `length` bytes. */
function le(value: bigint, length: number): number[] {
  const bytes: number[] = [];
  let v = BigInt.asUintN(8 * length, value);
  for (let i = 0; i < length; i++) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return bytes;
}
