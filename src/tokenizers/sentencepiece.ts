/**
 * SentencePiece unigram encoding as the sentencepiece library does it (Model::EncodeOptimized and
 * SentencePieceProcessor::Encode): normalize, then the best path over byte positions where a piece
 * scores its log probability, a user-defined symbol always wins, a character no piece covers becomes
 * unknown at (lowest score - 10), and runs of unknown characters merge into one unknown. Path scores
 * are float32, as there, which decides between segmentations that tie in exact arithmetic.
 */
import { ConfigError } from '../errors.js';
import { IntTrie, IntTrieBuilder, NO_NODE } from './int-trie.js';
import { PieceType, type SentencePieceModel } from './sentencepiece-model.js';
import { SentencePieceNormalizer, utf8CharLength } from './sentencepiece-normalizer.js';

/** sentencepiece's kUnkPenalty. */
const UNKNOWN_PENALTY = 10;
/** C's FLT_MIN and FLT_MAX. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;
const FLOAT32_MAX = 3.4028234663852886e38;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export class SentencePieceProcessor {
  readonly pieces: readonly string[];
  readonly unknownId: number;
  private readonly types: Uint8Array;
  private readonly scores: Float32Array;
  private readonly pieceTrie: IntTrie;
  private readonly idByPiece: ReadonlyMap<string, number>;
  private readonly normalizer: SentencePieceNormalizer;
  private readonly maxScore: number;
  private readonly unknownScore: number;
  private input = new Uint8Array(256);
  // The best path ending at each byte position: its score (float32 as in sentencepiece), where its last
  // piece starts (-1: no path yet) and that piece's id. Grown as needed and reused.
  private bestScore = new Float32Array(256);
  private bestStart = new Int32Array(256);
  private bestId = new Int32Array(256);
  // The segmentation of the last encode, as piece start offsets and ids, in order.
  private pathStarts = new Int32Array(256);
  private pathIds = new Int32Array(256);

  constructor(model: SentencePieceModel, file: string) {
    const { pieces } = model;
    this.pieces = pieces.map((p) => p.piece);
    this.types = Uint8Array.from(pieces, (p) => p.type);
    this.scores = Float32Array.from(pieces, (p) => p.score);
    const unknownIds = pieces.flatMap((p, id) => (p.type === PieceType.unknown ? [id] : []));
    if (unknownIds.length !== 1) throw new ConfigError(file, `the model needs exactly one unknown piece, it has ${unknownIds.length}`);
    this.unknownId = unknownIds[0] as number;

    // As sentencepiece: over normal pieces only, starting from FLT_MAX and FLT_MIN (which is positive).
    let minScore = FLOAT32_MAX;
    let maxScore = FLOAT32_MIN_NORMAL;
    const segmentable = new IntTrieBuilder();
    const userSymbols = new IntTrieBuilder();
    let hasUserSymbols = false;
    let scratch = new Uint8Array(64);
    const idByPiece = new Map<string, number>();
    const reserved: [string, number][] = [];
    pieces.forEach(({ piece, score, type }, id) => {
      if (type === PieceType.normal) {
        minScore = Math.min(minScore, score);
        maxScore = Math.max(maxScore, score);
      }
      if (type === PieceType.normal || type === PieceType.userDefined || type === PieceType.unused) {
        if (idByPiece.has(piece)) throw new ConfigError(file, `piece ${JSON.stringify(piece)} is defined twice`);
        idByPiece.set(piece, id);
        if (scratch.length < 3 * piece.length) scratch = new Uint8Array(3 * piece.length);
        const { written } = utf8Encoder.encodeInto(piece, scratch);
        segmentable.addBytes(scratch, 0, written, id);
        if (type === PieceType.userDefined) {
          userSymbols.addBytes(scratch, 0, written, id);
          hasUserSymbols = true;
        }
      } else {
        reserved.push([piece, id]);
      }
    });
    // PieceToId looks among control and unknown pieces first.
    for (const [piece, id] of reserved) idByPiece.set(piece, id);
    this.idByPiece = idByPiece;
    this.pieceTrie = segmentable.build();
    this.maxScore = maxScore;
    this.unknownScore = Math.fround(minScore - UNKNOWN_PENALTY);
    this.normalizer = new SentencePieceNormalizer(model.normalizer, hasUserSymbols ? userSymbols.build() : null, file);
  }

  /** The id of a piece string, if it is one. */
  idOf(piece: string): number | undefined {
    return this.idByPiece.get(piece);
  }

  /** sentencepiece's PieceToId: the id of a piece string, the unknown id when there is none. */
  pieceToId(piece: string): number {
    return this.idByPiece.get(piece) ?? this.unknownId;
  }

  /** Appends the ids of `text`, with each run of unknown characters as one unknown id. */
  encodeIds(text: string, out: number[]): void {
    const count = this.viterbi(this.normalizedOf(text));
    let previousUnknown = false;
    for (let i = 0; i < count; i++) {
      const id = this.pathIds[i] as number;
      const unknown = id === this.unknownId;
      if (!(unknown && previousUnknown)) out.push(id);
      previousUnknown = unknown;
    }
  }

  /** EncodeAsPieces: the piece strings, each run of unknown characters as one string. */
  encodePieces(text: string): string[] {
    const normalized = this.normalizedOf(text);
    const count = this.viterbi(normalized);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const end = i + 1 < count ? (this.pathStarts[i + 1] as number) : normalized.length;
      const piece = utf8Decoder.decode(normalized.subarray(this.pathStarts[i] as number, end));
      const continuesUnknownRun = i > 0 && this.pathIds[i] === this.unknownId && this.pathIds[i - 1] === this.unknownId;
      if (continuesUnknownRun) out[out.length - 1] += piece;
      else out.push(piece);
    }
    return out;
  }

  private normalizedOf(text: string): Uint8Array {
    if (this.input.length < 3 * text.length) this.input = new Uint8Array(3 * text.length);
    const { written } = utf8Encoder.encodeInto(text, this.input);
    return this.normalizer.normalize(this.input, written);
  }

  /** Finds the best segmentation of `normalized`; returns the piece count, pieces in pathStarts/pathIds. */
  private viterbi(normalized: Uint8Array): number {
    const size = normalized.length;
    this.reserve(size + 1);
    const { bestScore, bestStart, bestId, pieceTrie, scores, types } = this;
    bestStart.fill(-1, 0, size + 1);
    bestScore[0] = 0;
    for (let start = 0; start < size; ) {
      const scoreHere = bestScore[start] as number;
      const charLength = Math.min(utf8CharLength(normalized[start] as number), size - start);
      let coversChar = false;
      let node = IntTrie.ROOT;
      for (let end = start + 1; end <= size; end++) {
        node = pieceTrie.step(node, normalized[end - 1] as number);
        if (node === NO_NODE) break;
        const id = pieceTrie.value(node);
        if (id < 0 || types[id] === PieceType.unused) continue;
        const length = end - start;
        const score = types[id] === PieceType.userDefined ? length * this.maxScore - 0.1 : (scores[id] as number);
        this.offer(end, start, id, score + scoreHere);
        if (length === charLength) coversChar = true;
      }
      if (!coversChar) this.offer(start + charLength, start, this.unknownId, this.unknownScore + scoreHere);
      start += charLength;
    }
    let count = 0;
    for (let end = size; end > 0; end = bestStart[end] as number) count++;
    let i = count;
    for (let end = size; end > 0; end = bestStart[end] as number) {
      i--;
      this.pathStarts[i] = bestStart[end] as number;
      this.pathIds[i] = bestId[end] as number;
    }
    return count;
  }

  /**
   * Makes piece `id` over [start, end) the last of the best path to `end` if its path scores higher
   * than the one found so far; on a tie the earlier stays. The sum is rounded to float32 before the
   * comparison: that is how the sentencepiece 0.2.2 wheel breaks ties such as e+ee against ee+e
   * (sentencepiece-ties.test.ts), where comparing the double sum, as its source reads, is not.
   */
  private offer(end: number, start: number, id: number, total: number): void {
    const rounded = Math.fround(total);
    if (this.bestStart[end] === -1 || rounded > (this.bestScore[end] as number)) {
      this.bestScore[end] = rounded;
      this.bestStart[end] = start;
      this.bestId[end] = id;
    }
  }

  private reserve(positions: number): void {
    if (positions <= this.bestScore.length) return;
    const capacity = Math.max(positions, 2 * this.bestScore.length);
    this.bestScore = new Float32Array(capacity);
    this.bestStart = new Int32Array(capacity);
    this.bestId = new Int32Array(capacity);
    this.pathStarts = new Int32Array(capacity);
    this.pathIds = new Int32Array(capacity);
  }
}
