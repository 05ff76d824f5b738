/**
 * Truncation as transformers' slow tokenizers do it (PreTrainedTokenizerBase.truncate_sequences,
 * right side, no stride). The fast (Rust) tokenizers split an odd longest_first remainder the other
 * way when the second text is at least as long as the first.
 */
export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

interface TruncatedPair {
  first: number[];
  second: number[] | null;
}

/**
 * Removes `count` tokens. Like transformers, a strategy that cannot remove them all from the one
 * sequence it may cut (only_first, only_second, or longest_first on a single sequence) leaves both
 * sequences as they are; transformers logs an error then and returns the over-long input.
 */
export function truncatePair(first: number[], second: number[] | null, count: number, strategy: TruncationStrategy): TruncatedPair {
  if (count <= 0) return { first, second };
  if (strategy === 'only_first' || (strategy === 'longest_first' && second === null)) {
    return first.length > count ? { first: first.slice(0, first.length - count), second } : { first, second };
  }
  if (second === null) return { first, second };
  if (strategy === 'only_second') {
    return second.length > count ? { first, second: second.slice(0, second.length - count) } : { first, second };
  }
  return removeLongestFirst(first, second, count);
}

/**
 * Cut the longer sequence down to the shorter one's length, then both alike. An odd remainder is
 * taken from the second sequence, so the first keeps the extra token: the same result as the original
 * BERT `_truncate_seq_pair`, which removes one token at a time from the longer (on a tie, the second).
 */
function removeLongestFirst(first: number[], second: number[], count: number): TruncatedPair {
  const levelling = Math.min(Math.abs(second.length - first.length), count);
  const shared = count - levelling;
  let fromFirst: number;
  let fromSecond: number;
  if (first.length > second.length) {
    fromFirst = levelling + Math.floor(shared / 2);
    fromSecond = shared - Math.floor(shared / 2);
  } else {
    fromFirst = Math.floor(shared / 2);
    fromSecond = levelling + shared - Math.floor(shared / 2);
  }
  return {
    first: first.slice(0, Math.max(0, first.length - fromFirst)),
    second: second.slice(0, Math.max(0, second.length - fromSecond)),
  };
}
