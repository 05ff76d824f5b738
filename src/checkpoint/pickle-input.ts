import { PickleRefusal as Refusal } from './refusal.js';

export { Refusal };

/** GLOBAL names are short dotted identifiers. */
const MAX_GLOBAL_LINE_BYTES = 512;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The pickle's bytes and a cursor into them; every read checks that its operand is all there. */
export class PickleInput {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.data.length - this.pos;
  }

  take<T>(length: number, read: (view: DataView, at: number) => T): T {
    if (length > this.remaining) throw new Refusal(`pickle is truncated (needs ${length} more bytes, has ${this.remaining})`);
    const value = read(this.view, this.pos);
    this.pos += length;
    return value;
  }

  u8(): number {
    return this.take(1, (v, at) => v.getUint8(at));
  }

  u32(): number {
    return this.take(4, (v, at) => v.getUint32(at, true));
  }

  u64(): number {
    const value = this.take(8, (v, at) => v.getBigUint64(at, true));
    // Anything this large is longer than the pickle itself; clamp so the length check refuses it.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  bytes(length: number): Uint8Array {
    return this.take(length, (_, at) => this.data.subarray(at, at + length));
  }

  text(length: number): string {
    const raw = this.bytes(length);
    try {
      return utf8.decode(raw);
    } catch {
      throw new Refusal('string is not valid UTF-8');
    }
  }

  /** GLOBAL's newline-terminated operands. */
  line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) throw new Refusal('pickle is truncated (GLOBAL name has no end)');
    if (end - this.pos > MAX_GLOBAL_LINE_BYTES) throw new Refusal(`GLOBAL name is longer than ${MAX_GLOBAL_LINE_BYTES} bytes`);
    return this.text(end - this.pos + 1).slice(0, -1);
  }

  /** LONG1: little-endian two's complement; a number when it fits exactly, else a bigint. */
  long(length: number): number | bigint {
    const raw = this.bytes(length);
    let value = 0n;
    for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
    if (length > 0 && raw[length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
}
