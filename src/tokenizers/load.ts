/**
 * loadTokenizer: the slow (original) tokenizer of a Hugging Face model folder. vocab.txt and
 * spiece.model come before tokenizer.json, because a converted tokenizer.json does not always give
 * the original ids when run as it is (ALBERT's does not; see test/fixtures/tokenizers/README.md).
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { decodeSideFile, readSideFileBytes } from './side-files.js';
import { AlbertModel } from './albert.js';
import type { Tokenizer } from './encode.js';
import { SentencePieceProcessor } from './sentencepiece.js';
import { parseSentencePieceModel, type SentencePieceModel } from './sentencepiece-model.js';
import { SlowTokenizer, type SubwordModel } from './slow-tokenizer.js';
import { resolveSpecialTokens, type ResolvedSpecialTokens } from './special-token-config.js';
import { SpecialTokenSplitter } from './special-tokens.js';
import { TokenizerFolder, type Family } from './tokenizer-folder.js';
import type { UnigramJson, WordPieceJson } from './tokenizer-json.js';
import { parseVocabTxt, WordPieceModel } from './wordpiece.js';

/** transformers writes a huge model_max_length when a checkpoint sets none. */
const UNSET_MAX_LENGTH = 1e9;
const DEFAULT_MAX_LENGTH = 512;

/**
 * The tokenizer for the model in `modelDir`: BertTokenizer (WordPiece) or AlbertTokenizer
 * (SentencePiece) semantics, chosen by tokenizer_config.json, config.json or the files present.
 */
export function loadTokenizer(modelDir: string): Tokenizer {
  const folder = new TokenizerFolder(modelDir);
  return folder.family() === 'wordpiece' ? loadWordPiece(folder) : loadSentencePiece(folder);
}

function loadWordPiece(folder: TokenizerFolder): Tokenizer {
  const vocabFile = folder.file('vocab.txt');
  let vocab: Map<string, number>;
  let wordPiece: WordPieceJson | null = null;
  if (vocabFile !== null) {
    vocab = parseVocabTxt(decodeSideFile(readSide(folder, 'vocab.txt'), vocabFile));
  } else {
    const json = folder.tokenizerJson();
    if (json?.kind !== 'wordpiece') throw new ConfigError(folder.dir, 'has no BERT tokenizer files: expected vocab.txt or a WordPiece tokenizer.json');
    wordPiece = json;
    vocab = json.vocab;
  }
  const source = vocabFile ?? path.join(folder.dir, 'tokenizer.json');
  // tokenizer_config.json is what the slow class reads; a tokenizer.json normalizer fills the gaps.
  const { settings } = folder;
  const normalizer = wordPiece?.bertNormalizer ?? null;
  const lowercase = settings.optionalBoolean('do_lower_case') ?? normalizer?.lowercase ?? true;
  const specials = resolveSpecialTokens(folder, 'wordpiece', wordPiece, (token) => vocab.get(token), source);
  const model = new WordPieceModel(
    vocab,
    {
      lowercase,
      stripAccents: settings.optionalBoolean('strip_accents') ?? normalizer?.stripAccents ?? null,
      tokenizeChineseChars: settings.optionalBoolean('tokenize_chinese_chars') ?? normalizer?.handleChineseChars ?? true,
      unkToken: specials.unkToken,
      continuingSubwordPrefix: wordPiece?.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: wordPiece?.maxInputCharsPerWord ?? 100,
    },
    source,
  );
  return assemble(folder, 'wordpiece', model, specials, lowercase);
}

function loadSentencePiece(folder: TokenizerFolder): Tokenizer {
  const modelFile = folder.file('spiece.model');
  let model: SentencePieceModel;
  let unigram: UnigramJson | null = null;
  if (modelFile !== null) {
    model = parseSentencePieceModel(readSide(folder, 'spiece.model'), modelFile);
  } else {
    const json = folder.tokenizerJson();
    if (json?.kind !== 'unigram') throw new ConfigError(folder.dir, 'has no ALBERT tokenizer files: expected spiece.model or a Unigram tokenizer.json');
    unigram = json;
    model = json.model;
  }
  const source = modelFile ?? path.join(folder.dir, 'tokenizer.json');
  const processor = new SentencePieceProcessor(model, source);
  const specials = resolveSpecialTokens(folder, 'sentencepiece', unigram, (token) => processor.idOf(token), source);
  const { settings } = folder;
  const lowercase = settings.optionalBoolean('do_lower_case') ?? true;
  const albert = new AlbertModel(processor, {
    lowercase,
    removeSpace: settings.optionalBoolean('remove_space') ?? true,
    keepAccents: settings.optionalBoolean('keep_accents') ?? false,
  });
  return assemble(folder, 'sentencepiece', albert, specials, lowercase);
}

/** A file `folder.file` found, read as side files are: from inside the folder, capped, a regular file. */
function readSide(folder: TokenizerFolder, name: string): Buffer {
  const bytes = readSideFileBytes(folder.dir, name);
  if (bytes === null) throw new ConfigError(path.join(folder.dir, name), 'disappeared while it was being read');
  return bytes;
}

function assemble(folder: TokenizerFolder, family: Family, model: SubwordModel, specials: ResolvedSpecialTokens, lowercase: boolean): Tokenizer {
  const declared = folder.settings.optionalNumber('model_max_length');
  const positions = folder.config?.optionalNumber('max_position_embeddings');
  const modelMaxLength = declared !== undefined && declared < UNSET_MAX_LENGTH ? declared : (positions ?? DEFAULT_MAX_LENGTH);
  return new SlowTokenizer({
    family,
    model,
    specialTokens: new SpecialTokenSplitter(specials.all),
    specialIds: specials.ids,
    lowercase,
    modelMaxLength,
  });
}
