import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  generalCategory,
  hasNonZeroCombiningClass,
  isPythonDigit,
  lowerEachCodePoint,
  mapAssignedInUnicode14,
  PYTHON_SPACE_RUN,
} from '../../src/tokenizers/python-unicode.js';

test('categories are Unicode 14.0 ones, whatever Unicode version ICU has', () => {
  assert.equal(generalCategory(0x1fae0), 'So'); // melting face, Unicode 14
  assert.equal(generalCategory(0x1fae8), 'Cn'); // shaking face, Unicode 15
  assert.equal(generalCategory(0x0378), 'Cn');
  assert.equal(generalCategory(0xe000), 'Co');
  assert.equal(generalCategory(0x1171e), 'Mn'); // Mc since Unicode 15
  assert.equal(generalCategory(0x3000), 'Zs');
  assert.equal(generalCategory(0x2014), 'Pd');
});

test('combining class: marks that NFD reorders, not every Mn/Me', () => {
  assert.equal(hasNonZeroCombiningClass(0x0301), true); // acute
  assert.equal(hasNonZeroCombiningClass(0x094d), true); // Devanagari virama
  assert.equal(hasNonZeroCombiningClass(0x0345), true); // class 240
  assert.equal(hasNonZeroCombiningClass(0xfe0f), false); // VS16, Mn with class 0
  assert.equal(hasNonZeroCombiningClass(0x20e3), false); // keycap, Me
  assert.equal(hasNonZeroCombiningClass(0x0947), false); // Devanagari vowel sign e, Mn with class 0
});

test("Python's whitespace and digits", () => {
  const separated = 'a\tb\u001cc\u001fd e\u0085f\u00a0g\u2028h\u3000i';
  assert.deepEqual(separated.split(PYTHON_SPACE_RUN), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  assert.deepEqual('a\u200bb\ufeffc\u180ed\u0000e'.split(PYTHON_SPACE_RUN), ['a\u200bb\ufeffc\u180ed\u0000e']);
  assert.equal(isPythonDigit(0x37), true);
  assert.equal(isPythonDigit(0xb2), true); // superscript two
  assert.equal(isPythonDigit(0x0966), true); // Devanagari zero
  assert.equal(isPythonDigit(0xbd), false); // one half: numeric, not a digit
});

test('lowercasing one code point at a time has no final sigma; new code points stay as they are', () => {
  assert.equal(lowerEachCodePoint('ΟΔΟΣ İ'), 'οδοσ i\u0307');
  assert.equal('ΟΔΟΣ'.toLowerCase(), 'οδος');
  assert.equal(mapAssignedInUnicode14('A\u{1fae8}B', (s) => s.toLowerCase()), 'a\u{1fae8}b');
});
