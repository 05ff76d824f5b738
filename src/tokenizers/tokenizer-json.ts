/**
 * What the slow tokenizers need from a Hugging Face tokenizer.json, for folders that have no
 * vocab.txt or spiece.model: the WordPiece vocabulary, or the Unigram pieces with their scores and the
 * SentencePiece normalization rules (the Precompiled charsmap), plus the added tokens.
 */
import path from 'node:path';
import { ConfigError, UnsupportedError } from '../errors.js';
import { isJsonObject, JsonFields, readJsonObject, type JsonObject } from './json-file.js';
import { PieceType, type NormalizerSpec, type SentencePiece, type SentencePieceModel } from './sentencepiece-model.js';

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  lstrip: boolean;
  rstrip: boolean;
}

/** A BertNormalizer's settings. */
interface BertNormalizerSettings {
  lowercase: boolean;
  stripAccents: boolean | null;
  handleChineseChars: boolean;
}

export interface WordPieceJson {
  kind: 'wordpiece';
  vocab: Map<string, number>;
  unkToken: string;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  bertNormalizer: BertNormalizerSettings | null;
  addedTokens: AddedToken[];
}

export interface UnigramJson {
  kind: 'unigram';
  model: SentencePieceModel;
  addedTokens: AddedToken[];
}

export type TokenizerJson = WordPieceJson | UnigramJson;

const TOKENIZER_JSON = 'tokenizer.json';

/** The tokenizer.json of `folder`, or null when it has none. */
export function readTokenizerJson(folder: string): TokenizerJson | null {
  const root = readJsonObject(folder, TOKENIZER_JSON);
  if (root === null) return null;
  const file = path.join(folder, TOKENIZER_JSON);
  const json = new JsonFields(file, root);
  const model = json.child('model');
  const addedTokens = json.has('added_tokens') ? json.array('added_tokens').map((t, i) => readAddedToken(file, t, i)) : [];
  const type = model.optionalString('type') ?? (Array.isArray(model.raw('vocab')) ? 'Unigram' : 'WordPiece');
  if (type === 'WordPiece') return readWordPiece(file, root, model, addedTokens);
  if (type === 'Unigram') return { kind: 'unigram', model: readUnigram(file, root, model, addedTokens), addedTokens };
  throw new UnsupportedError(`${file}: ${type} tokenizers are not supported, only WordPiece (BERT) and Unigram (ALBERT)`);
}

function readAddedToken(file: string, value: unknown, index: number): AddedToken {
  if (!isJsonObject(value)) throw new ConfigError(file, `added_tokens[${index}] must be an object`);
  const fields = new JsonFields(file, value, `added_tokens[${index}].`);
  const id = fields.optionalNumber('id');
  const content = fields.optionalString('content');
  if (id === undefined || content === undefined) throw new ConfigError(file, `added_tokens[${index}] needs an id and a content`);
  return {
    id,
    content,
    special: fields.optionalBoolean('special') ?? false,
    lstrip: fields.optionalBoolean('lstrip') ?? false,
    rstrip: fields.optionalBoolean('rstrip') ?? false,
  };
}

function readWordPiece(file: string, root: JsonObject, model: JsonFields, addedTokens: AddedToken[]): WordPieceJson {
  const vocab = new Map<string, number>();
  const entries = model.raw('vocab');
  if (!isJsonObject(entries)) throw new ConfigError(file, 'model.vocab must map tokens to ids');
  for (const [token, id] of Object.entries(entries)) {
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new ConfigError(file, `model.vocab: the id of ${JSON.stringify(token)} is not an integer`);
    vocab.set(token, id);
  }
  const bert = findByType(root['normalizer'], 'BertNormalizer', 'normalizers');
  const normalizer = bert === null ? null : new JsonFields(file, bert, 'normalizer.');
  return {
    kind: 'wordpiece',
    vocab,
    unkToken: model.optionalString('unk_token') ?? '[UNK]',
    continuingSubwordPrefix: model.optionalString('continuing_subword_prefix') ?? '##',
    maxInputCharsPerWord: model.optionalNumber('max_input_chars_per_word') ?? 100,
    bertNormalizer:
      normalizer === null
        ? null
        : {
            lowercase: normalizer.optionalBoolean('lowercase') ?? true,
            stripAccents: normalizer.optionalBoolean('strip_accents') ?? null,
            handleChineseChars: normalizer.optionalBoolean('handle_chinese_chars') ?? true,
          },
    addedTokens,
  };
}

/**
 * tokenizer.json does not keep SentencePiece's piece types: the unknown id is known, special added
 * tokens were control pieces, and non-special added tokens that are pieces were user-defined symbols.
 */
function readUnigram(file: string, root: JsonObject, model: JsonFields, addedTokens: AddedToken[]): SentencePieceModel {
  const unkId = model.optionalNumber('unk_id');
  if (unkId === undefined) throw new ConfigError(file, 'model.unk_id is missing');
  if (model.optionalBoolean('byte_fallback') === true) throw new UnsupportedError(`${file}: byte_fallback is not supported`);
  const typeOf = new Map<number, PieceType>();
  for (const token of addedTokens) typeOf.set(token.id, token.special ? PieceType.control : PieceType.userDefined);
  typeOf.set(unkId, PieceType.unknown);
  const pieces: SentencePiece[] = model.array('vocab').map((entry, id) => {
    const [piece, score] = Array.isArray(entry) ? entry : [];
    if (typeof piece !== 'string' || typeof score !== 'number') throw new ConfigError(file, `model.vocab[${id}] must be [piece, score]`);
    return { piece, score: Math.fround(score), type: typeOf.get(id) ?? PieceType.normal };
  });
  return { pieces, normalizer: readNormalizerSpec(file, root) };
}

function readNormalizerSpec(file: string, root: JsonObject): NormalizerSpec {
  const precompiled = findByType(root['normalizer'], 'Precompiled', 'normalizers');
  const charsmap = precompiled === null ? undefined : new JsonFields(file, precompiled, 'normalizer.').optionalString('precompiled_charsmap');
  const metaspace = findByType(root['pre_tokenizer'], 'Metaspace', 'pretokenizers');
  let addDummyPrefix = true;
  if (metaspace !== null) {
    const fields = new JsonFields(file, metaspace, 'pre_tokenizer.');
    const scheme = fields.optionalString('prepend_scheme');
    addDummyPrefix = scheme === undefined ? (fields.optionalBoolean('add_prefix_space') ?? true) : scheme !== 'never';
  }
  return {
    precompiledCharsmap: charsmap === undefined ? new Uint8Array(0) : new Uint8Array(Buffer.from(charsmap, 'base64')),
    addDummyPrefix,
    // The converter expresses these as Replace(' {2,}', ' ') and Metaspace; SentencePiece's defaults.
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
}

/** The first object of the given `type` in a normalizer or pre-tokenizer, looking inside Sequences. */
function findByType(node: unknown, type: string, listKey: string): JsonObject | null {
  if (!isJsonObject(node)) return null;
  if (node['type'] === type) return node;
  const list = node[listKey];
  if (!Array.isArray(list)) return null;
  for (const item of list) {
    const found = findByType(item, type, listKey);
    if (found !== null) return found;
  }
  return null;
}
