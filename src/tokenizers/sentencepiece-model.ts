/**
 * A SentencePiece model as the unigram encoder needs it, read from a `.model` file (a serialized
 * sentencepiece.ModelProto) or assembled from a tokenizer.json.
 */
import { ConfigError, UnsupportedError } from '../errors.js';
import { WIRE_FIXED32, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireReader } from './protobuf-wire.js';

/** ModelProto.SentencePiece.Type */
export const PieceType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;
export type PieceType = (typeof PieceType)[keyof typeof PieceType];

export interface SentencePiece {
  piece: string;
  /** A float32 log probability. */
  score: number;
  type: PieceType;
}

export interface NormalizerSpec {
  /** darts-clone trie size (uint32 LE), the trie, then the NUL-terminated replacements; empty: no rules. */
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface SentencePieceModel {
  pieces: SentencePiece[];
  normalizer: NormalizerSpec;
}

const MODEL_TYPE_UNIGRAM = 1;
const MODEL_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'unigram', 2: 'bpe', 3: 'word', 4: 'char' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseSentencePieceModel(bytes: Uint8Array, file: string): SentencePieceModel {
  const fail = (problem: string): never => {
    throw new ConfigError(file, `not a valid SentencePiece model: ${problem}`);
  };
  const pieces: SentencePiece[] = [];
  let normalizer: NormalizerSpec = {
    precompiledCharsmap: new Uint8Array(0),
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
  const model = WireReader.of(bytes, fail);
  while (!model.done) {
    const { field, wireType } = model.key();
    if (wireType !== WIRE_LENGTH_DELIMITED || field < 1 || field > 3) {
      model.skip(wireType);
    } else if (field === 1) {
      pieces.push(readPiece(model.message(), fail));
    } else if (field === 2) {
      checkTrainerSpec(model.message(), file);
    } else {
      normalizer = readNormalizerSpec(model.message(), normalizer);
    }
  }
  if (pieces.length === 0) fail('it has no pieces');
  return { pieces, normalizer };
}

function readPiece(reader: WireReader, fail: (problem: string) => never): SentencePiece {
  const out: SentencePiece = { piece: '', score: 0, type: PieceType.normal };
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) out.piece = decodeUtf8(reader.lengthDelimited(), fail);
    else if (field === 2 && wireType === WIRE_FIXED32) out.score = reader.float32();
    else if (field === 3 && wireType === WIRE_VARINT) {
      const type = reader.varint();
      if (type < PieceType.normal || type > PieceType.byte) fail(`piece type ${type} is unknown`);
      out.type = type as PieceType;
    } else reader.skip(wireType);
  }
  if (out.piece === '') fail('a piece is empty');
  return out;
}

/** The encoder implements unigram segmentation with whitespace as prefix and no byte fallback. */
function checkTrainerSpec(reader: WireReader, file: string): void {
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (wireType !== WIRE_VARINT) {
      reader.skip(wireType);
      continue;
    }
    const value = reader.varint();
    if (field === 3 && value !== MODEL_TYPE_UNIGRAM) {
      throw new UnsupportedError(`${file}: SentencePiece ${MODEL_TYPE_NAMES[value] ?? `type ${value}`} models are not supported, only unigram`);
    }
    if (field === 24 && value !== 0) throw new UnsupportedError(`${file}: treat_whitespace_as_suffix is not supported`);
    if (field === 35 && value !== 0) throw new UnsupportedError(`${file}: byte_fallback is not supported`);
  }
}

function readNormalizerSpec(reader: WireReader, defaults: NormalizerSpec): NormalizerSpec {
  const spec = { ...defaults };
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) spec.precompiledCharsmap = reader.lengthDelimited();
    else if (field === 3 && wireType === WIRE_VARINT) spec.addDummyPrefix = reader.varint() !== 0;
    else if (field === 4 && wireType === WIRE_VARINT) spec.removeExtraWhitespaces = reader.varint() !== 0;
    else if (field === 5 && wireType === WIRE_VARINT) spec.escapeWhitespaces = reader.varint() !== 0;
    else reader.skip(wireType);
  }
  return spec;
}

function decodeUtf8(bytes: Uint8Array, fail: (problem: string) => never): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return fail('a piece is not valid UTF-8');
  }
}
