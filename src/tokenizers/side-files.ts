/**
 * The small files beside a model's weights (config.json, the tokenizer files, albench's record):
 * read from inside the folder only, capped in size, and checked to be what their name says before
 * albench uses them or writes them into a folder people publish. A side file is never copied blind.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { parseSentencePieceModel } from './sentencepiece-model.js';
import { readFileInside, resolveInside, type Refuse } from '../util/safe-read.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';

/** tokenizer.json holds the whole vocabulary (and merges, for BPE): the largest side file real models have. */
const TOKENIZER_JSON_MAX_BYTES = 64 * 2 ** 20;
/** Every other side file: vocab.txt, spiece.model and the JSON settings are a few MB at most. */
const SIDE_FILE_MAX_BYTES = 16 * 2 ** 20;

const sideFileMaxBytes = (name: string): number => (path.basename(name) === 'tokenizer.json' ? TOKENIZER_JSON_MAX_BYTES : SIDE_FILE_MAX_BYTES);

const refuseAsConfig: Refuse = (file, problem) => new ConfigError(file, problem);

/** The bytes of side file `name` in `folder` (unchecked content), or null when the folder has none. */
export function readSideFileBytes(folder: string, name: string): Buffer | null {
  return readFileInside(folder, name, { maxBytes: sideFileMaxBytes(name), refuse: refuseAsConfig });
}

/** The path of side file `name` in `folder` if it has one, refused when it is a link out of the folder or not a regular file. */
export function sideFileInside(folder: string, name: string): string | null {
  return resolveInside(folder, name, refuseAsConfig) === null ? null : path.join(folder, name);
}

// ignoreBOM keeps a leading BOM in the text, as Python's utf-8 codec (which transformers reads with) does.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a side file; its bytes must be UTF-8. */
export function decodeSideFile(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ConfigError(file, 'is not valid UTF-8 text');
  }
}

/** The JSON object a side file holds. */
export function parseSideJson(bytes: Uint8Array, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeSideFile(bytes, file));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, jsonSyntaxProblem(e));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, 'must hold a JSON object');
  return value as Record<string, unknown>;
}

/** A special token as special_tokens_map.json writes it: the string, or an AddedToken object with its content. */
const isSpecialToken = (v: unknown): boolean =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string');

/** Checks the shape each JSON side file must have beyond being an object. */
function checkJsonShape(name: string, object: Record<string, unknown>, file: string): void {
  if (name === 'tokenizer.json') {
    const model = object['model'];
    if (typeof model !== 'object' || model === null || Array.isArray(model)) throw new ConfigError(file, 'has no "model" object; it is not a tokenizer.json');
  } else if (name === 'added_tokens.json') {
    for (const [token, id] of Object.entries(object)) {
      if (!Number.isInteger(id)) {
        throw new ConfigError(file, `maps ${JSON.stringify(token)} to ${JSON.stringify(id)}; added_tokens.json maps tokens to integer ids`);
      }
    }
  } else if (name === 'special_tokens_map.json') {
    for (const [key, v] of Object.entries(object)) {
      if (!(Array.isArray(v) ? v.every(isSpecialToken) : isSpecialToken(v))) {
        throw new ConfigError(file, `"${key}" must be a token string, an object with a "content" string, or a list of them`);
      }
    }
  }
}

/**
 * Checks that `bytes` are a valid `name` (JSON files parse as objects of their shape, vocab.txt is
 * UTF-8 text, spiece.model parses as a SentencePiece model) and returns them unchanged.
 */
function validateSideFile(name: string, bytes: Buffer, file: string): Buffer {
  if (name.endsWith('.json')) checkJsonShape(name, parseSideJson(bytes, file), file);
  else if (name === 'vocab.txt') decodeSideFile(bytes, file);
  else if (name === 'spiece.model') parseSentencePieceModel(bytes, file);
  else throw new ConfigError(file, 'is not a side file albench knows how to check');
  return bytes;
}

/** The checked bytes of side file `name` in `folder`, or null when the folder has none. */
export function readCheckedSideFile(folder: string, name: string): Buffer | null {
  const bytes = readSideFileBytes(folder, name);
  return bytes === null ? null : validateSideFile(name, bytes, path.join(folder, name));
}
