/**
 * SentencePiece's Normalizer (normalizer.cc) on UTF-8 bytes: at each position a user-defined symbol
 * passes through as it is, otherwise the longest rule of the precompiled charsmap (nmt_nfkc for
 * ALBERT) replaces its key, otherwise one character is copied; then extra spaces are dropped, spaces
 * become U+2581 and a U+2581 is put in front.
 */
import { ConfigError } from '../errors.js';
import { DoubleArray } from './darts.js';
import { IntTrie, NO_NODE, NO_VALUE } from './int-trie.js';
import type { NormalizerSpec } from './sentencepiece-model.js';

const SPACE = 0x20;
/** U+2581 LOWER ONE EIGHTH BLOCK in UTF-8. */
const SPACE_SYMBOL = [0xe2, 0x96, 0x81] as const;

/** Bytes of the UTF-8 character a lead byte starts (sentencepiece's OneCharLen). */
export function utf8CharLength(lead: number): number {
  return lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

export class SentencePieceNormalizer {
  private readonly rules: DoubleArray | null;
  private readonly replacements: Uint8Array;
  private output = new Uint8Array(256);
  // Where normalizePrefix put the current replacement: source[start, end).
  private replacementSource: Uint8Array = new Uint8Array(0);
  private replacementStart = 0;
  private replacementEnd = 0;

  constructor(
    private readonly spec: NormalizerSpec,
    /** The user-defined pieces as a byte trie (value >= 0 marks a whole symbol), or null. */
    private readonly userSymbols: IntTrie | null,
    file: string,
  ) {
    const charsmap = spec.precompiledCharsmap;
    if (charsmap.length === 0) {
      this.rules = null;
      this.replacements = new Uint8Array(0);
    } else {
      const view = new DataView(charsmap.buffer, charsmap.byteOffset, charsmap.byteLength);
      const trieSize = charsmap.length > 4 ? view.getUint32(0, true) : Infinity;
      if (trieSize + 4 > charsmap.length || trieSize % 4 !== 0) {
        throw new ConfigError(file, 'the precompiled_charsmap of the normalizer is malformed');
      }
      const units = new Uint32Array(trieSize / 4);
      for (let i = 0; i < units.length; i++) units[i] = view.getUint32(4 + 4 * i, true);
      this.rules = new DoubleArray(units);
      this.replacements = charsmap.subarray(4 + trieSize);
    }
  }

  /** Normalizes input[0, length); the result is the returned view, valid until the next call. */
  normalize(input: Uint8Array, length: number): Uint8Array {
    const { addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces } = this.spec;
    let pos = 0;
    if (removeExtraWhitespaces) {
      while (pos < length) {
        const consumed = this.normalizePrefix(input, pos, length);
        if (!this.replacementIsOneSpace()) break;
        pos += consumed;
      }
    }
    if (pos === length) return this.output.subarray(0, 0);
    let size = 0;
    if (addDummyPrefix) size = this.appendSpace(size);
    let previousIsSpace = removeExtraWhitespaces;
    while (pos < length) {
      pos += this.normalizePrefix(input, pos, length);
      let start = this.replacementStart;
      const end = this.replacementEnd;
      const source = this.replacementSource;
      if (previousIsSpace) while (start < end && source[start] === SPACE) start++;
      if (start < end) {
        this.reserve(size + 3 * (end - start));
        for (let i = start; i < end; i++) {
          const byte = source[i] as number;
          if (byte === SPACE && escapeWhitespaces) size = this.appendSpace(size);
          else this.output[size++] = byte;
        }
        previousIsSpace = source[end - 1] === SPACE;
      }
      if (!removeExtraWhitespaces) previousIsSpace = false;
    }
    if (removeExtraWhitespaces) size = this.trimTrailingSpaces(size);
    return this.output.subarray(0, size);
  }

  /** Sets the replacement for the text at `pos` and returns how many input bytes it consumes. */
  private normalizePrefix(input: Uint8Array, pos: number, end: number): number {
    const symbolLength = this.userSymbolAt(input, pos, end);
    if (symbolLength > 0) return this.replaceWith(input, pos, pos + symbolLength, symbolLength);
    const ruleLength = this.rules === null ? 0 : this.rules.longestPrefix(input, pos, end);
    if (ruleLength > 0) {
      const start = (this.rules as DoubleArray).matchValue;
      let stop = start;
      while (stop < this.replacements.length && this.replacements[stop] !== 0) stop++;
      return this.replaceWith(this.replacements, start, stop, ruleLength);
    }
    const charLength = Math.min(utf8CharLength(input[pos] as number), end - pos);
    return this.replaceWith(input, pos, pos + charLength, charLength);
  }

  private replaceWith(source: Uint8Array, start: number, end: number, consumed: number): number {
    this.replacementSource = source;
    this.replacementStart = start;
    this.replacementEnd = end;
    return consumed;
  }

  private replacementIsOneSpace(): boolean {
    return this.replacementEnd - this.replacementStart === 1 && this.replacementSource[this.replacementStart] === SPACE;
  }

  /** Length of the longest user-defined symbol at `pos`, or 0. */
  private userSymbolAt(input: Uint8Array, pos: number, end: number): number {
    if (this.userSymbols === null) return 0;
    let node = IntTrie.ROOT;
    let longest = 0;
    for (let i = pos; i < end; i++) {
      node = this.userSymbols.step(node, input[i] as number);
      if (node === NO_NODE) break;
      if (this.userSymbols.value(node) !== NO_VALUE) longest = i - pos + 1;
    }
    return longest;
  }

  private appendSpace(size: number): number {
    this.reserve(size + 3);
    if (!this.spec.escapeWhitespaces) {
      this.output[size] = SPACE;
      return size + 1;
    }
    this.output.set(SPACE_SYMBOL, size);
    return size + 3;
  }

  private trimTrailingSpaces(size: number): number {
    const out = this.output;
    if (!this.spec.escapeWhitespaces) {
      while (size > 0 && out[size - 1] === SPACE) size--;
      return size;
    }
    while (size >= 3 && out[size - 3] === SPACE_SYMBOL[0] && out[size - 2] === SPACE_SYMBOL[1] && out[size - 1] === SPACE_SYMBOL[2]) size -= 3;
    return size;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.output.length) return;
    const grown = new Uint8Array(Math.max(capacity, 2 * this.output.length));
    grown.set(this.output);
    this.output = grown;
  }
}
