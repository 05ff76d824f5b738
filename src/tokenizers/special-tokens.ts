/**
 * Special-token literals inside the text, handled as PreTrainedTokenizer.tokenize handles them:
 * lowercasing leaves them alone, the text is cut at them, and each becomes its own id.
 */
import { lowerEachCodePoint, PYTHON_SPACE_RUN } from './python-unicode.js';

export interface SpecialToken {
  content: string;
  id: number;
  /** Eats the whitespace on its left (ALBERT's [MASK]). */
  lstrip: boolean;
  /** Eats the whitespace on its right. */
  rstrip: boolean;
}

const LEADING_SPACE = new RegExp(`^${PYTHON_SPACE_RUN.source}`, 'u');
const TRAILING_SPACE = new RegExp(`${PYTHON_SPACE_RUN.source}$`, 'u');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SpecialTokenSplitter {
  private readonly byContent: ReadonlyMap<string, SpecialToken>;
  /** Leftmost occurrence first, in the tokens' own order: the regex transformers builds to lowercase. */
  private readonly inOrder: RegExp;
  /** Leftmost, then longest: how transformers' added-token trie cuts the text. */
  private readonly longestFirst: RegExp;

  constructor(private readonly tokens: readonly SpecialToken[]) {
    this.byContent = new Map(tokens.map((t) => [t.content, t]));
    const alternatives = (list: readonly SpecialToken[]): string => list.map((t) => escapeRegExp(t.content)).join('|');
    this.inOrder = new RegExp(alternatives(tokens), 'g');
    this.longestFirst = new RegExp(`(${alternatives([...tokens].sort((a, b) => b.content.length - a.content.length))})`);
  }

  private occursIn(text: string): boolean {
    return this.tokens.some((t) => text.includes(t.content));
  }

  /** tokenize() with do_lower_case: every code point on its own, special-token literals as they are. */
  lowercaseOutsideTokens(text: string): string {
    if (!this.occursIn(text)) return lowerEachCodePoint(text);
    let out = '';
    let last = 0;
    for (const match of text.matchAll(this.inOrder)) {
      out += lowerEachCodePoint(text.slice(last, match.index)) + match[0];
      last = match.index + match[0].length;
    }
    return out + lowerEachCodePoint(text.slice(last));
  }

  /** Calls `onText` for each non-empty stretch between special tokens and `onToken` for each token, in order. */
  split(text: string, onText: (text: string) => void, onToken: (id: number) => void): void {
    if (!this.occursIn(text)) {
      if (text.length > 0) onText(text);
      return;
    }
    // With one capturing group, split() alternates text, token, text, ..., token, text.
    const parts = text.split(this.longestFirst);
    for (let i = 1; i < parts.length; i += 2) {
      const token = this.byContent.get(parts[i] as string) as SpecialToken;
      if (token.lstrip) parts[i - 1] = (parts[i - 1] as string).replace(TRAILING_SPACE, '');
      if (token.rstrip) parts[i + 1] = (parts[i + 1] as string).replace(LEADING_SPACE, '');
    }
    parts.forEach((part, i) => {
      if (i % 2 === 1) onToken((this.byContent.get(part) as SpecialToken).id);
      else if (part.length > 0) onText(part);
    });
  }
}
