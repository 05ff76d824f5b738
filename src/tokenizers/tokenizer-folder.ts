/**
 * A Hugging Face model folder as the tokenizer loader sees it: its JSON settings files, which
 * tokenizer files it has, and which tokenizer family it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UnsupportedError } from '../errors.js';
import { sideFileInside } from './side-files.js';
import type { Tokenizer } from './encode.js';
import { JsonFields, readJsonObject } from './json-file.js';
import { readTokenizerJson, type TokenizerJson } from './tokenizer-json.js';

export type Family = Tokenizer['family'];

/** For the error message: any one of these gives a folder its tokenizer. */
const TOKENIZER_FILE_CHOICES = 'vocab.txt (BERT WordPiece), spiece.model (ALBERT SentencePiece) or tokenizer.json';

const WORDPIECE_CLASSES = new Set(['BertTokenizer', 'DistilBertTokenizer']);
const WORDPIECE_MODEL_TYPES = new Set(['bert', 'distilbert']);
/** A class name that says nothing about the algorithm; the model type or the files decide. */
const GENERIC_CLASS = 'PreTrainedTokenizer';

export class TokenizerFolder {
  /** tokenizer_config.json, or an empty one when there is none. */
  readonly settings: JsonFields;
  readonly specialTokensMap: JsonFields | null;
  readonly config: JsonFields | null;
  private tokenizerJsonRead: TokenizerJson | null | undefined;

  constructor(readonly dir: string) {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(dir, 'is not a folder');
    this.settings = this.jsonFile('tokenizer_config.json') ?? new JsonFields(path.join(dir, 'tokenizer_config.json'), {});
    this.specialTokensMap = this.jsonFile('special_tokens_map.json');
    this.config = this.jsonFile('config.json');
  }

  /** The path of `name` in the folder, or null when it is not there; refused when it is a link out of the folder or not a file. */
  file(name: string): string | null {
    return sideFileInside(this.dir, name);
  }

  /** tokenizer.json, read once, or null when there is none. */
  tokenizerJson(): TokenizerJson | null {
    if (this.tokenizerJsonRead === undefined) this.tokenizerJsonRead = readTokenizerJson(this.dir);
    return this.tokenizerJsonRead;
  }

  /** From tokenizer_class, else config.json's model_type, else from the files the folder has. */
  family(): Family {
    const tokenizerClass = this.settings.optionalString('tokenizer_class')?.replace(/Fast$/, '');
    if (tokenizerClass !== undefined && tokenizerClass !== GENERIC_CLASS) {
      if (WORDPIECE_CLASSES.has(tokenizerClass)) return 'wordpiece';
      if (tokenizerClass === 'AlbertTokenizer') return 'sentencepiece';
      throw new UnsupportedError(`${this.settings.file}: tokenizer_class ${tokenizerClass} is not supported; albench has BertTokenizer and AlbertTokenizer`);
    }
    const modelType = this.config?.optionalString('model_type');
    if (modelType !== undefined) {
      if (WORDPIECE_MODEL_TYPES.has(modelType)) return 'wordpiece';
      if (modelType === 'albert') return 'sentencepiece';
      throw new UnsupportedError(`${this.config?.file}: model_type ${modelType} has no tokenizer in albench; it has BERT's and ALBERT's`);
    }
    if (this.file('vocab.txt') !== null) return 'wordpiece';
    if (this.file('spiece.model') !== null) return 'sentencepiece';
    const json = this.tokenizerJson();
    if (json !== null) return json.kind === 'wordpiece' ? 'wordpiece' : 'sentencepiece';
    throw new ConfigError(this.dir, `has no tokenizer files: expected ${TOKENIZER_FILE_CHOICES}`);
  }

  private jsonFile(name: string): JsonFields | null {
    const object = readJsonObject(this.dir, name);
    return object === null ? null : new JsonFields(path.join(this.dir, name), object);
  }
}
