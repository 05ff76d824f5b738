import fs from 'node:fs';
import path from 'node:path';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ownedFolder, type ForeignEntries } from '../util/owned-folder.js';
import { CONFIG_FILE, ONNX_DIR, RECORD_FILE } from './layout.js';
import { readCheckedSideFile, readSideFileBytes, sideFileInside } from '../tokenizers/side-files.js';

/**
 * A checkpoint has only some of the tokenizer files; the ones it lacks stay absent. Every one is
 * read from inside `from` and checked before any is written, so a link to a file elsewhere (a
 * token, /etc/passwd) or a file that is not what its name says never reaches `to`.
 */
function copyPresent(from: string, to: string, names: readonly string[]): void {
  const checked = names.map((name) => ({ name, bytes: readCheckedSideFile(from, name) }));
  for (const { name, bytes } of checked) if (bytes !== null) fs.writeFileSync(path.join(to, name), bytes);
}

/** The tokenizer files of `from`, so the converted folder tokenizes exactly as the checkpoint does. */
export function copyTokenizerFiles(from: string, to: string): void {
  copyPresent(from, to, TOKENIZER_FILES);
}

/** What an app needs beside the graph to tokenize and label as the model does (albench deploy copies them). */
export const APP_SIDE_FILES: readonly string[] = [CONFIG_FILE, ...TOKENIZER_FILES];

/** config.json and the tokenizer files of `from`, checked as copySideFiles checks them; false when `from` has no config.json. */
export function copyAppSideFiles(from: string, to: string): boolean {
  if (readCheckedSideFile(from, CONFIG_FILE) === null) return false;
  copyPresent(from, to, APP_SIDE_FILES);
  return true;
}

/**
 * Starts a variant folder from a converted one: onnx/, config.json, the tokenizer files and the
 * convert record, so eval and bench read a variant exactly as they read the folder it came from.
 * A variant folder is complete or refused: config.json is required, and every side file the source
 * lists must be copied; one that cannot be read (the source changing while it is copied) fails the
 * variant instead of leaving it without its tokenizer.
 */
export function copySideFiles(from: string, to: string): void {
  fs.mkdirSync(path.join(to, ONNX_DIR), { recursive: true });
  const listed = [CONFIG_FILE, RECORD_FILE, ...TOKENIZER_FILES].filter((name) => sideFileInside(from, name) !== null);
  if (!listed.includes(CONFIG_FILE)) {
    const why = 'is missing; a variant is made only from a complete model folder (config.json and its tokenizer files)';
    throw new ConfigError(path.join(from, CONFIG_FILE), why);
  }
  const checked = listed.map((name) => ({ name, bytes: readCheckedSideFile(from, name) }));
  const vanished = checked.find((c) => c.bytes === null);
  if (vanished !== undefined) {
    throw new ConfigError(path.join(from, vanished.name), 'disappeared while the model folder was copied; run again (is another program changing it?)');
  }
  for (const { name, bytes } of checked) if (bytes !== null) fs.writeFileSync(path.join(to, name), bytes);
}

/** A graph under onnx/ with its external data and its record, as convert, quantize and optimize write them. */
const MODEL_FILE_ENTRY = new RegExp(`^${ONNX_DIR}/[^/]+\\.(?:onnx|onnx_data|${RECORD_FILE.replace('.', '\\.')})$`);
const ROOT_FILES: ReadonlySet<string> = new Set([CONFIG_FILE, RECORD_FILE, ...TOKENIZER_FILES]);

/** What in a model folder albench did not write; `convert -o` replaces a folder only when there is nothing. */
export const foreignInModelFolder: ForeignEntries = ownedFolder(RECORD_FILE, (entry) =>
  ROOT_FILES.has(entry) || entry === `${ONNX_DIR}/` || MODEL_FILE_ENTRY.test(entry));

export function writeRecord(file: string, record: object): void {
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The parsed record, or null when there is none, it is not JSON or not a file to read: callers work the facts out without it. */
export function readRecord(file: string): unknown {
  try {
    const bytes = readSideFileBytes(path.dirname(file), path.basename(file));
    return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as unknown);
  } catch {
    return null;
  }
}
