import zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3), the checksum ZIP stores per entry. zlib's is ~15× faster but exists only
 * from Node 20.15, and package.json promises all of Node 20, so a table version backs it up.
 */
const native: ((data: Uint8Array) => number) | undefined = (zlib as Partial<typeof zlib>).crc32;

export function crc32(data: Uint8Array): number {
  return native !== undefined ? native(data) : tableCrc32(data);
}

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Exported so tests can check it against zlib's on Node versions that have both. */
export function tableCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
