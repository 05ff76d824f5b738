import { safeLines } from '../../util/safe-text.js';

/**
 * Text and attribute values for HTML, SVG and JUnit XML: the five characters that can break out are
 * escaped; control characters and terminal escapes are dropped, and so is every other character
 * XML 1.0 does not allow (lone surrogates, U+FFFE, U+FFFF), so the document stays well-formed.
 */
export function escapeXml(text: string): string {
  return safeLines(text).replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
