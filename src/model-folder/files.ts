import fs from 'node:fs';
import path from 'node:path';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { writeFileAtomic } from '../util/atomic.js';
import { CONFIG_FILE, ONNX_DIR, RECORD_FILE } from './layout.js';

/** A checkpoint has only some of the tokenizer files; the ones it lacks stay absent. */
function copyPresent(from: string, to: string, names: readonly string[]): void {
  for (const name of names) {
    const source = path.join(from, name);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(to, name));
  }
}

/** The tokenizer files of `from`, so the converted folder tokenizes exactly as the checkpoint does. */
export function copyTokenizerFiles(from: string, to: string): void {
  copyPresent(from, to, TOKENIZER_FILES);
}

/**
 * Starts a variant folder from a converted one: onnx/, config.json, the tokenizer files and the
 * convert record, so eval and bench read a variant exactly as they read the folder it came from.
 */
export function copySideFiles(from: string, to: string): void {
  fs.mkdirSync(path.join(to, ONNX_DIR), { recursive: true });
  copyPresent(from, to, [CONFIG_FILE, RECORD_FILE, ...TOKENIZER_FILES]);
}

export function writeRecord(file: string, record: object): void {
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The parsed record, or null when there is none or it is not JSON: callers work the facts out without it. */
export function readRecord(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
