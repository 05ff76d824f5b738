/**
 * BERT's BasicTokenizer (transformers' tokenization_bert.py, as BertTokenizer runs it): drop control
 * characters, map whitespace to spaces, pad CJK ideographs with spaces, NFC, split on Python
 * whitespace, lowercase and strip accents per word, then split off every punctuation character.
 */
import { generalCategory, PYTHON_SPACE_RUN } from './python-unicode.js';

export interface BasicTokenizerOptions {
  lowercase: boolean;
  /** null: strip accents exactly when lowercasing, as transformers' default strip_accents=None does. */
  stripAccents: boolean | null;
  tokenizeChineseChars: boolean;
}

/** Receives each word as `source.slice(start, end)`, so the common path needs no substrings. */
type WordSink = (source: string, start: number, end: number) => void;

const SPACE = 0;
const PUNCT = 1;
const WORD = 2;

/** BERT's class of each printable ASCII character; the ASCII punctuation ranges are BERT's own. */
const ASCII_KIND = Uint8Array.from({ length: 128 }, (_, c) => {
  if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return SPACE;
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return PUNCT;
  return WORD;
});

// Text the fast path can take: printable ASCII and the whitespace BERT keeps; anything else
// (control characters, which are deleted and so join their neighbours, or non-ASCII) goes the long way.
const SIMPLE_ASCII = /^[\t\n\r\x20-\x7e]*$/;
const ASCII_UPPER = /[A-Z]/;

function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** _is_control: every category C* (unassigned included) except tab, newline and carriage return. */
function isControl(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  return generalCategory(cp).startsWith('C');
}

/** _is_whitespace: the four ASCII ones and category Zs. */
function isBertWhitespace(cp: number): boolean {
  if (cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d) return true;
  return cp > 0x7f && generalCategory(cp) === 'Zs';
}

function isPunctuation(cp: number): boolean {
  if (cp < 0x80) return ASCII_KIND[cp] === PUNCT;
  return generalCategory(cp).startsWith('P');
}

function stripAccents(word: string): string {
  let out = '';
  for (const ch of word.normalize('NFD')) {
    if (generalCategory(ch.codePointAt(0) as number) !== 'Mn') out += ch;
  }
  return out;
}

export class BasicTokenizer {
  private readonly lowercase: boolean;
  private readonly stripAccents: boolean;
  private readonly tokenizeChineseChars: boolean;

  constructor(options: BasicTokenizerOptions) {
    this.lowercase = options.lowercase;
    this.stripAccents = options.stripAccents ?? options.lowercase;
    this.tokenizeChineseChars = options.tokenizeChineseChars;
  }

  splitWords(text: string, sink: WordSink): void {
    if (SIMPLE_ASCII.test(text)) {
      splitSimpleAscii(this.lowercase && ASCII_UPPER.test(text) ? text.toLowerCase() : text, sink);
    } else {
      this.splitGeneral(text, sink);
    }
  }

  /** The Python steps in Python's order, for text with control characters or non-ASCII. */
  private splitGeneral(text: string, sink: WordSink): void {
    let cleaned = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (cp === 0 || cp === 0xfffd || isControl(cp)) continue;
      if (isBertWhitespace(cp)) cleaned += ' ';
      else if (this.tokenizeChineseChars && isCjkIdeograph(cp)) cleaned += ` ${ch} `;
      else cleaned += ch;
    }
    for (let word of cleaned.normalize('NFC').split(PYTHON_SPACE_RUN)) {
      if (this.lowercase) word = word.toLowerCase();
      if (this.stripAccents) word = stripAccents(word);
      splitOnPunctuation(word, sink);
    }
  }
}

function splitSimpleAscii(text: string, sink: WordSink): void {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const kind = ASCII_KIND[text.charCodeAt(i)];
    if (kind === WORD) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      sink(text, start, i);
      start = -1;
    }
    if (kind === PUNCT) sink(text, i, i + 1);
  }
  if (start >= 0) sink(text, start, text.length);
}

function splitOnPunctuation(word: string, sink: WordSink): void {
  let start = 0;
  for (let i = 0; i < word.length; ) {
    const cp = word.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (isPunctuation(cp)) {
      if (i > start) sink(word, start, i);
      sink(word, i, i + width);
      start = i + width;
    }
    i += width;
  }
  if (word.length > start) sink(word, start, word.length);
}
