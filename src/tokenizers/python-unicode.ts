/**
 * Character properties as the slow Hugging Face tokenizers see them: they are Python code, and the
 * reference encodings were made on Python 3.11, whose unicodedata is Unicode 14.0. Node's ICU is newer
 * (Unicode 17 in Node 22.23 and 24.21), so code points assigned since 14.0 are pinned back to "unassigned" here;
 * for every code point Unicode 14.0 assigns, ICU's category, case mapping and normalization agree with
 * Python's (checked over all code points), except the two category changes listed below.
 */
import { EXTRA_DIGIT_RANGES, SPACE_RANGES, UNASSIGNED_RANGES } from './unicode14-tables.js';

type GeneralCategory =
  | 'Lu' | 'Ll' | 'Lt' | 'Lm' | 'Lo' | 'Mn' | 'Mc' | 'Me' | 'Nd' | 'Nl' | 'No'
  | 'Pc' | 'Pd' | 'Ps' | 'Pe' | 'Pi' | 'Pf' | 'Po' | 'Sm' | 'Sc' | 'Sk' | 'So'
  | 'Zs' | 'Zl' | 'Zp' | 'Cc' | 'Cf' | 'Cs' | 'Co' | 'Cn';

const CATEGORIES: readonly GeneralCategory[] = [
  'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No',
  'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So',
  'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs', 'Co', 'Cn',
];

// One alternative per category: the index of the group that matched is the category.
const CATEGORY_PATTERN = new RegExp(`^(?:${CATEGORIES.map((c) => `(\\p{gc=${c}})`).join('|')})$`, 'u');

// Unicode 15+ moved these two out of the category Unicode 14.0 gives them.
const CATEGORY_CHANGED_AFTER_14 = new Map<number, GeneralCategory>([
  [0x0295, 'Ll'],
  [0x1171e, 'Mn'],
]);

const CODE_POINTS = 0x110000;
let categoryCache: Uint8Array | null = null;

function inRanges(ranges: readonly number[], cp: number): boolean {
  // Binary search over [start, end) pairs: find the last start <= cp.
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[2 * mid] as number) <= cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && cp < (ranges[2 * hi + 1] as number);
}

function isUnassignedInUnicode14(cp: number): boolean {
  return cp >= 0x378 && inRanges(UNASSIGNED_RANGES, cp);
}

function computeCategory(cp: number): GeneralCategory {
  if (isUnassignedInUnicode14(cp)) return 'Cn';
  const changed = CATEGORY_CHANGED_AFTER_14.get(cp);
  if (changed !== undefined) return changed;
  const match = CATEGORY_PATTERN.exec(String.fromCodePoint(cp));
  if (match === null) return 'Cn';
  const group = match.findIndex((g, i) => i > 0 && g !== undefined);
  return CATEGORIES[group - 1] ?? 'Cn';
}

/** unicodedata.category(chr(cp)) of Python 3.11; computed once per code point. */
export function generalCategory(cp: number): GeneralCategory {
  const cache = (categoryCache ??= new Uint8Array(CODE_POINTS));
  let index = cache[cp] as number;
  if (index === 0) {
    index = CATEGORIES.indexOf(computeCategory(cp)) + 1;
    cache[cp] = index;
  }
  return CATEGORIES[index - 1] as GeneralCategory;
}

/** str.isdigit(): category Nd plus superscripts, circled digits and the like. */
export function isPythonDigit(cp: number): boolean {
  if (cp >= 0x30 && cp <= 0x39) return true;
  if (cp < 0x80) return false;
  return generalCategory(cp) === 'Nd' || inRanges(EXTRA_DIGIT_RANGES, cp);
}

/**
 * Runs of what Python's str.isspace() accepts (U+001C-U+001F and U+0085 included, U+FEFF not): the
 * separators of str.split() and what str.strip() removes.
 */
export const PYTHON_SPACE_RUN = new RegExp(
  `[${Array.from({ length: SPACE_RANGES.length / 2 }, (_, i) => {
    const start = SPACE_RANGES[2 * i] as number;
    const last = (SPACE_RANGES[2 * i + 1] as number) - 1;
    const esc = (cp: number): string => `\\u{${cp.toString(16)}}`;
    return start === last ? esc(start) : `${esc(start)}-${esc(last)}`;
  }).join('')}]+`,
  'gu',
);

let combiningCache: Uint8Array | null = null;

/**
 * unicodedata.combining(chr(cp)) != 0. JavaScript has no accessor for the canonical combining class,
 * so this asks the normalizer: canonical reordering moves a mark of class 1..239 in front of U+0345,
 * which has class 240, the highest there is (and the only code point with it). Valid for code points
 * that NFD leaves alone, which is every code point of an NFD or NFKD result.
 */
export function hasNonZeroCombiningClass(cp: number): boolean {
  if (cp < 0x300) return false;
  const cache = (combiningCache ??= new Uint8Array(CODE_POINTS));
  let known = cache[cp] as number;
  if (known === 0) {
    let nonZero: boolean;
    if (cp === 0x345) nonZero = true;
    else if (isUnassignedInUnicode14(cp)) nonZero = false;
    else {
      const ch = String.fromCodePoint(cp);
      nonZero = ('\u0345' + ch).normalize('NFD') === ch + '\u0345';
    }
    known = nonZero ? 2 : 1;
    cache[cp] = known;
  }
  return known === 2;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Applies a Unicode 14-assigned-text transform (normalize, toLowerCase) to `text`, copying the code
 * points Unicode 14.0 did not assign unchanged, as Python 3.11 leaves them: no decomposition, no case.
 */
export function mapAssignedInUnicode14(text: string, transform: (s: string) => string): string {
  if (!NON_ASCII.test(text)) return transform(text);
  let out = '';
  let segmentStart = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (isUnassignedInUnicode14(cp)) {
      out += transform(text.slice(segmentStart, i)) + text.slice(i, i + width);
      segmentStart = i + width;
    }
    i += width;
  }
  return segmentStart === 0 ? transform(text) : out + transform(text.slice(segmentStart));
}

/**
 * Python's lower() applied to each code point on its own, as PreTrainedTokenizer.tokenize lowercases
 * (a regex that matches one character at a time): unlike String.toLowerCase, no final-sigma rule.
 */
export function lowerEachCodePoint(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return mapAssignedInUnicode14(text, (s) =>
    s.includes('\u03a3') ? s.split('\u03a3').map((part) => part.toLowerCase()).join('\u03c3') : s.toLowerCase(),
  );
}

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}
