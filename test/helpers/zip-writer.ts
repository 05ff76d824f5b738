import zlib from 'node:zlib';

/**
 * Writes small ZIP archives in memory for tests: stored or deflated entries, optionally with
 * ZIP64 records, and with knobs to lie about sizes the way hostile archives do.
 */
export interface ZipWriterEntry {
  readonly name: string;
  readonly data: Uint8Array;
  readonly deflate?: boolean;
  /** Uncompressed size to declare instead of the real one. */
  readonly declaredSize?: number;
  /** CRC-32 to declare instead of the real one. */
  readonly declaredCrc?: number;
}

export interface ZipWriterOptions {
  /** Saturate every 32-bit field and give the real values in ZIP64 extra fields and records. */
  readonly zip64?: boolean;
}

export function writeZip(entries: readonly ZipWriterEntry[], options: ZipWriterOptions = {}): Uint8Array {
  const zip64 = options.zip64 === true;
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const emit = (chunk: Uint8Array): void => {
    chunks.push(chunk);
    offset += chunk.length;
  };
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const stored = entry.deflate === true ? new Uint8Array(zlib.deflateRawSync(entry.data)) : entry.data;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.declaredCrc ?? zlib.crc32(entry.data);
    const method = entry.deflate === true ? 8 : 0;
    const headerOffset = offset;
    const extra = zip64 ? zip64Extra([size, stored.length, headerOffset]) : new Uint8Array(0);

    const local = new Fields(30 + name.length + extra.length);
    local.u32(0x04034b50).u16(zip64 ? 45 : 20).u16(0).u16(method).u16(0).u16(0).u32(crc);
    local.u32(zip64 ? 0xffffffff : stored.length).u32(zip64 ? 0xffffffff : size).u16(name.length).u16(extra.length);
    local.bytes(name).bytes(extra);
    emit(local.done());
    emit(stored);

    const record = new Fields(46 + name.length + extra.length);
    record.u32(0x02014b50).u16(zip64 ? 45 : 20).u16(zip64 ? 45 : 20).u16(0).u16(method).u16(0).u16(0).u32(crc);
    record.u32(zip64 ? 0xffffffff : stored.length).u32(zip64 ? 0xffffffff : size).u16(name.length).u16(extra.length).u16(0);
    record.u16(0).u16(0).u32(0).u32(zip64 ? 0xffffffff : headerOffset).bytes(name).bytes(extra);
    central.push(record.done());
  }
  const directoryOffset = offset;
  for (const record of central) emit(record);
  const directorySize = offset - directoryOffset;
  if (zip64) {
    const recordOffset = offset;
    const record = new Fields(56);
    record.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0);
    record.u64(entries.length).u64(entries.length).u64(directorySize).u64(directoryOffset);
    emit(record.done());
    emit(new Fields(20).u32(0x07064b50).u32(0).u64(recordOffset).u32(1).done());
  }
  const end = new Fields(22);
  const count = zip64 ? 0xffff : entries.length;
  end.u32(0x06054b50).u16(0).u16(0).u16(count).u16(count);
  end.u32(zip64 ? 0xffffffff : directorySize).u32(zip64 ? 0xffffffff : directoryOffset).u16(0);
  emit(end.done());
  return Buffer.concat(chunks);
}

function zip64Extra(values: readonly number[]): Uint8Array {
  const extra = new Fields(4 + 8 * values.length).u16(0x0001).u16(8 * values.length);
  for (const v of values) extra.u64(v);
  return extra.done();
}

class Fields {
  private readonly buffer: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  constructor(length: number) {
    this.buffer = new Uint8Array(length);
    this.view = new DataView(this.buffer.buffer);
  }
  u16(v: number): this { this.view.setUint16(this.pos, v, true); this.pos += 2; return this; }
  u32(v: number): this { this.view.setUint32(this.pos, v >>> 0, true); this.pos += 4; return this; }
  u64(v: number): this { this.view.setBigUint64(this.pos, BigInt(v), true); this.pos += 8; return this; }
  bytes(b: Uint8Array): this { this.buffer.set(b, this.pos); this.pos += b.length; return this; }
  done(): Uint8Array {
    if (this.pos !== this.buffer.length) throw new Error(`zip-writer: wrote ${this.pos} of ${this.buffer.length} bytes`);
    return this.buffer;
  }
}
