/**
 * ALBERT's slow tokenizer around SentencePiece (transformers' AlbertTokenizer, after Google's
 * tokenization.py): preprocess_text, then SentencePiece, then a piece that ends in digit + ','
 * is encoded again without the comma, so `9,9` gives ▁9 , 9 rather than ▁9, 9.
 */
import { hasNonZeroCombiningClass, isAscii, isPythonDigit, mapAssignedInUnicode14, PYTHON_SPACE_RUN } from './python-unicode.js';
import type { SentencePieceProcessor } from './sentencepiece.js';
import type { SubwordModel } from './slow-tokenizer.js';

interface AlbertOptions {
  /** do_lower_case */
  lowercase: boolean;
  /** remove_space: strip and collapse whitespace as Python's split() sees it. */
  removeSpace: boolean;
  /** keep_accents: false applies NFKD and drops the marks with a non-zero combining class. */
  keepAccents: boolean;
}

const WORD_BOUNDARY = '\u2581';

/** AlbertTokenizer.preprocess_text. */
function preprocessAlbertText(text: string, options: AlbertOptions): string {
  let out = text;
  if (options.removeSpace) {
    out = out.replace(PYTHON_SPACE_RUN, ' ');
    if (out.startsWith(' ')) out = out.slice(1);
    if (out.endsWith(' ')) out = out.slice(0, -1);
  }
  out = out.replaceAll('``', '"').replaceAll("''", '"');
  if (!options.keepAccents && !isAscii(out)) {
    let kept = '';
    for (const ch of mapAssignedInUnicode14(out, (s) => s.normalize('NFKD'))) {
      if (!hasNonZeroCombiningClass(ch.codePointAt(0) as number)) kept += ch;
    }
    out = kept;
  }
  if (options.lowercase) out = mapAssignedInUnicode14(out, (s) => s.toLowerCase());
  return out;
}

/** The `len(piece) > 1 and piece[-1] == ',' and piece[-2].isdigit()` test of AlbertTokenizer._tokenize. */
function endsInDigitComma(piece: string): boolean {
  const chars = [...piece];
  return chars.length > 1 && chars[chars.length - 1] === ',' && isPythonDigit((chars[chars.length - 2] as string).codePointAt(0) as number);
}

export class AlbertModel implements SubwordModel {
  private readonly splitAgain: Uint8Array;

  constructor(
    private readonly sentencePiece: SentencePieceProcessor,
    private readonly options: AlbertOptions,
  ) {
    this.splitAgain = Uint8Array.from(sentencePiece.pieces, (piece) => (endsInDigitComma(piece) ? 1 : 0));
  }

  appendIds(text: string, out: number[]): void {
    const start = out.length;
    this.sentencePiece.encodeIds(preprocessAlbertText(text, this.options), out);
    let first = start;
    while (first < out.length && this.splitAgain[out[first] as number] !== 1) first++;
    if (first === out.length) return;
    const ids = out.splice(first);
    for (const id of ids) {
      if (this.splitAgain[id] === 1) this.appendSplit(this.sentencePiece.pieces[id] as string, out);
      else out.push(id);
    }
  }

  /** `▁2010,` becomes the pieces of `2010` then `,`; a leading ▁ only where the piece had one. */
  private appendSplit(piece: string, out: number[]): void {
    const pieces = this.sentencePiece.encodePieces(piece.slice(0, -1).replaceAll(WORD_BOUNDARY, ''));
    const head = pieces[0] as string;
    if (!piece.startsWith(WORD_BOUNDARY) && head.startsWith(WORD_BOUNDARY)) {
      if (head.length === 1) pieces.shift();
      else pieces[0] = head.slice(1);
    }
    for (const p of pieces) out.push(this.sentencePiece.pieceToId(p));
    out.push(this.sentencePiece.pieceToId(','));
  }
}
