/**
 * The few protobuf wire-format reads a SentencePiece .model needs (varint, fixed32 float,
 * length-delimited). Malformed input raises the `fail` the caller gives.
 */
export const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export class WireReader {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private pos: number,
    private readonly end: number,
    private readonly fail: (problem: string) => never,
  ) {}

  static of(bytes: Uint8Array, fail: (problem: string) => never): WireReader {
    return new WireReader(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length, fail);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A field key: field number * 8 + wire type. */
  key(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: key >>> 3, wireType: key & 7 };
  }

  /** A varint as int32: enough for bool, enum and int32 fields (negative int32s take 10 bytes). */
  varint(): number {
    let low = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) this.fail(`varint runs past the end at byte ${this.pos}`);
      const byte = this.bytes[this.pos++] as number;
      if (shift < 32) low |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return low | 0;
    }
    return this.fail(`varint longer than 10 bytes before byte ${this.pos}`);
  }

  float32(): number {
    this.need(4);
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  lengthDelimited(): Uint8Array {
    const start = this.skipLengthDelimited();
    return this.bytes.subarray(start, this.pos);
  }

  /** A reader for the embedded message in a length-delimited field. */
  message(): WireReader {
    const start = this.skipLengthDelimited();
    return new WireReader(this.bytes, this.view, start, this.pos, this.fail);
  }

  /** Moves past a length-delimited field; returns where its content starts. */
  private skipLengthDelimited(): number {
    const length = this.varint();
    if (length < 0) this.fail(`negative length at byte ${this.pos}`);
    this.need(length);
    this.pos += length;
    return this.pos - length;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.skipLengthDelimited();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  private need(length: number): void {
    if (this.pos + length > this.end) this.fail(`field of ${length} bytes runs past the end at byte ${this.pos}`);
  }
}
