import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS, tempDir } from './paths.js';
import { readSafetensors } from './safetensors-reader.js';

/** A writable copy of a fixture checkpoint (config.json + model.safetensors), with config edits applied. */
export function copyCheckpoint(name: string, configEdits: Record<string, unknown> = {}): string {
  const dir = path.join(tempDir(), name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(CHECKPOINTS, name, 'model.safetensors'), path.join(dir, 'model.safetensors'));
  const config = JSON.parse(fs.readFileSync(path.join(CHECKPOINTS, name, 'config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, ...configEdits }));
  fs.chmodSync(path.join(dir, 'model.safetensors'), 0o644);
  return dir;
}

/** Writes a safetensors file from float32 tensors, for crafting checkpoints at test time. */
export function writeSafetensors(file: string, tensors: Record<string, { shape: number[]; data: Float32Array }>): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(json), ...Object.values(tensors).map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))]));
}

/** Reads a safetensors file back into float32 tensors (fixtures are all F32 except legacy buffers). */
export function readSafetensorsF32(file: string): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, t] of readSafetensors(file)) {
    if (t.dtype === 'float32') out[name] = { shape: [...t.shape], data: new Float32Array(Uint8Array.from(t.bytes).buffer) };
  }
  return out;
}
