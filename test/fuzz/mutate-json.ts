import { mutate } from './mutate.js';

/** Values that sit on the edges of what a header field can hold: offsets, sizes, dtypes, shapes. */
const JSON_VALUES = [
  '-1', '0', '1', '1.5', '1e308', '-0', '9007199254740993', '18446744073709551616', 'null', 'true', '""', '"F16"', '"I64"', '[]', '{}', '[0,0]',
];

/**
 * JSON text mutations: a number or string swapped for an edge value, or plain byte mutations.
 * Byte flips alone mostly break the syntax, so half the cases keep it valid and reach the checks
 * behind JSON.parse.
 */
export function mutateJsonText(input: Uint8Array, rand: () => number): Uint8Array {
  if (rand() < 0.5) return mutate(input, rand);
  let text = new TextDecoder().decode(input);
  const rounds = 1 + Math.floor(rand() * 3);
  for (let r = 0; r < rounds; r++) {
    const tokens = [...text.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"[^"\\]*"/g)];
    const token = tokens[Math.floor(rand() * tokens.length)];
    if (token?.index === undefined) break;
    const value = JSON_VALUES[Math.floor(rand() * JSON_VALUES.length)] ?? '0';
    text = `${text.slice(0, token.index)}${value}${text.slice(token.index + token[0].length)}`;
  }
  return new TextEncoder().encode(text);
}
