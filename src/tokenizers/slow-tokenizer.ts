/**
 * What transformers' PreTrainedTokenizer (the "slow" Python class) does around its model: lowercase
 * outside special-token literals, cut the text at those literals, run the model on the rest.
 */
import { assembleEncoding, type EncodeOptions, type Encoding, type SpecialTokenIds, type Tokenizer } from './encode.js';
import type { SpecialTokenSplitter } from './special-tokens.js';

/** A slow tokenizer's `_tokenize` followed by convert_tokens_to_ids, for text without special tokens. */
export interface SubwordModel {
  appendIds(text: string, out: number[]): void;
}

interface SlowTokenizerParts {
  family: Tokenizer['family'];
  model: SubwordModel;
  specialTokens: SpecialTokenSplitter;
  specialIds: SpecialTokenIds;
  /** The tokenizer's do_lower_case, which tokenize() applies before anything else. */
  lowercase: boolean;
  modelMaxLength: number;
}

export class SlowTokenizer implements Tokenizer {
  readonly family: Tokenizer['family'];
  readonly specialIds: SpecialTokenIds;
  readonly modelMaxLength: number;
  private readonly model: SubwordModel;
  private readonly specialTokens: SpecialTokenSplitter;
  private readonly lowercase: boolean;

  constructor(parts: SlowTokenizerParts) {
    this.family = parts.family;
    this.specialIds = parts.specialIds;
    this.modelMaxLength = parts.modelMaxLength;
    this.model = parts.model;
    this.specialTokens = parts.specialTokens;
    this.lowercase = parts.lowercase;
  }

  textToIds(text: string): number[] {
    const out: number[] = [];
    const source = this.lowercase ? this.specialTokens.lowercaseOutsideTokens(text) : text;
    this.specialTokens.split(
      source,
      (part) => this.model.appendIds(part, out),
      (id) => out.push(id),
    );
    return out;
  }

  encode(textA: string, textB?: string, options?: EncodeOptions): Encoding {
    const second = textB === undefined ? null : this.textToIds(textB);
    return assembleEncoding(this.textToIds(textA), second, this.specialIds, this.modelMaxLength, options);
  }
}
