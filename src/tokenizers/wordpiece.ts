/**
 * BERT's slow tokenizer model: BasicTokenizer words, then WordpieceTokenizer's greedy
 * longest-match-first split of each word into vocabulary pieces (`##` on all but the first), with
 * the whole word as [UNK] when some part matches nothing or the word is over 100 characters.
 */
import { ConfigError } from '../errors.js';
import { BasicTokenizer, type BasicTokenizerOptions } from './basic-tokenizer.js';
import { IntTrie, IntTrieBuilder, NO_NODE, NO_VALUE } from './int-trie.js';
import type { SubwordModel } from './slow-tokenizer.js';

interface WordPieceOptions extends BasicTokenizerOptions {
  unkToken: string;
  /** `##` */
  continuingSubwordPrefix: string;
  /** Longer words (in code points) are [UNK] as a whole: 100. */
  maxInputCharsPerWord: number;
}

/** vocab.txt as transformers' load_vocab reads it: one token per line, the id is the line number. */
export function parseVocabTxt(text: string): Map<string, number> {
  const lines = text.split(/\r\n|\r|\n/);
  // A final line break ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  const vocab = new Map<string, number>();
  lines.forEach((token, id) => vocab.set(token, id));
  return vocab;
}

export class WordPieceModel implements SubwordModel {
  private readonly basic: BasicTokenizer;
  /** Every vocabulary entry as it is: what a word may start with. */
  private readonly wordStarts: IntTrie;
  /** The entries that start with `##`, without it: what may follow inside a word. */
  private readonly continuations: IntTrie;
  private readonly unkId: number;
  private readonly maxInputCharsPerWord: number;
  private out: number[] = [];
  private readonly onWord = (source: string, start: number, end: number): void => this.appendWordIds(source, start, end);

  constructor(vocab: ReadonlyMap<string, number>, options: WordPieceOptions, file: string) {
    const unkId = vocab.get(options.unkToken);
    if (unkId === undefined) throw new ConfigError(file, `the vocabulary has no unknown token ${options.unkToken}`);
    this.unkId = unkId;
    this.maxInputCharsPerWord = options.maxInputCharsPerWord;
    this.basic = new BasicTokenizer(options);
    const prefix = options.continuingSubwordPrefix;
    const wordStarts = new IntTrieBuilder();
    const continuations = new IntTrieBuilder();
    for (const [token, id] of vocab) {
      wordStarts.addCodeUnits(token, 0, id);
      if (token.startsWith(prefix)) continuations.addCodeUnits(token, prefix.length, id);
    }
    this.wordStarts = wordStarts.build();
    this.continuations = continuations.build();
  }

  appendIds(text: string, out: number[]): void {
    this.out = out;
    this.basic.splitWords(text, this.onWord);
  }

  private appendWordIds(source: string, start: number, end: number): void {
    const out = this.out;
    if (end - start > this.maxInputCharsPerWord && codePointCount(source, start, end) > this.maxInputCharsPerWord) {
      out.push(this.unkId);
      return;
    }
    const wordMark = out.length;
    let trie = this.wordStarts;
    for (let pos = start; pos < end; ) {
      let node = IntTrie.ROOT;
      let matchedId = NO_VALUE;
      let matchedEnd = pos;
      for (let i = pos; i < end; i++) {
        node = trie.step(node, source.charCodeAt(i));
        if (node === NO_NODE) break;
        const id = trie.value(node);
        if (id !== NO_VALUE) {
          matchedId = id;
          matchedEnd = i + 1;
        }
      }
      if (matchedId === NO_VALUE) {
        out.length = wordMark;
        out.push(this.unkId);
        return;
      }
      out.push(matchedId);
      pos = matchedEnd;
      trie = this.continuations;
    }
  }
}

function codePointCount(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    // A low surrogate right after a high one is the second half of one code point.
    if (!(unit >= 0xdc00 && unit <= 0xdfff && i > start && isHighSurrogate(text.charCodeAt(i - 1)))) count++;
  }
  return count;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
