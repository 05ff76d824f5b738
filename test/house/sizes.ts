/**
 * The size rules of the house (no file under src/ or cli.ts over 300 lines, no function over 80
 * lines, no line over 160 characters), measured without the TypeScript compiler: the `typescript`
 * package (version 7) has no JavaScript API. Functions are found by a scan instead:
 *
 * 1. Comments, and the text of strings, template literals and regular expressions, are blanked
 *    (newlines kept), so the braces left are the code's own; `${...}` inside a template stays code.
 * 2. A function is a `function` keyword, a method head at the start of a line (`name(...)`, with
 *    optional modifiers and type parameters, not a keyword such as `if`), or an arrow whose body is
 *    a block (`=> {`). After a head's parameter list, an optional return type is skipped (braces of
 *    object types come after `:`, `|`, `&`, `<`, `,` or `(`); the next `{` opens the body. Anything
 *    else after the parameters (a `;`, a call chain) means it was not a function.
 * 3. A function's length is the number of lines from its head to its closing brace, both included.
 *    Expression-bodied arrows are not measured.
 */

export interface FunctionSpan {
  readonly name: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly lines: number;
}

const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'in', 'of', 'new', 'delete', 'void', 'throw', 'else', 'do', 'await', 'yield']);
const NOT_METHOD_NAMES = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'new', 'throw', 'else', 'do', 'super', 'import', 'function',
]);
const MODIFIERS = '(?:(?:public|private|protected|static|readonly|override|abstract|async|get|set|declare)\\s+)*';
const METHOD_HEAD = new RegExp(`^[ \\t]*${MODIFIERS}\\*?\\s*(#?[A-Za-z_$][\\w$]*)\\s*(?:<[^()]*>)?\\s*\\(`, 'gm');
const FUNCTION_HEAD = /\bfunction\b\s*\*?\s*([A-Za-z_$][\w$]*)?\s*(?:<[^()]*>)?\s*\(/g;

/** The source with comments and literal text replaced by spaces; line breaks and code stay where they were. */
export function blankLiterals(source: string): string {
  return new LiteralBlanker(source).run();
}

class LiteralBlanker {
  private readonly out: string[];
  private i = 0;
  private depth = 0;
  /** For each open `${`: the brace depth at which its `}` closes it. */
  private readonly templates: number[] = [];

  constructor(private readonly source: string) {
    this.out = source.split('');
  }

  run(): string {
    const { source } = this;
    while (this.i < source.length) {
      const c = source[this.i]!;
      const next = source[this.i + 1];
      if (c === '/' && next === '/') this.skipTo(source.indexOf('\n', this.i), 0);
      else if (c === '/' && next === '*') this.skipTo(source.indexOf('*/', this.i + 2), 2);
      else if (c === '"' || c === "'") this.skipString(c);
      else if (c === '`') {
        this.i++;
        this.templateText();
      } else if (c === '/' && regexMayStart(this.out, this.i)) this.skipRegex();
      else if (c === '}' && this.templates[this.templates.length - 1] === this.depth) {
        this.templates.pop();
        this.out[this.i++] = ' ';
        this.templateText();
      } else {
        if (c === '{') this.depth++;
        if (c === '}') this.depth--;
        this.i++;
      }
    }
    return this.out.join('');
  }

  private blank(from: number, to: number): void {
    for (let k = from; k < Math.min(to, this.out.length); k++) if (this.out[k] !== '\n') this.out[k] = ' ';
  }

  /** Blanks a comment that ends `extra` characters past `end` (-1: at the end of the source). */
  private skipTo(end: number, extra: number): void {
    const to = end < 0 ? this.source.length : end + extra;
    this.blank(this.i, to);
    this.i = to;
  }

  private skipString(quote: string): void {
    const start = this.i++;
    while (this.i < this.source.length && this.source[this.i] !== quote && this.source[this.i] !== '\n') this.i += this.source[this.i] === '\\' ? 2 : 1;
    this.blank(start + 1, this.i++);
  }

  /** From inside a template literal to its end, or to a `${` whose code follows. */
  private templateText(): void {
    const { source } = this;
    const start = this.i;
    while (this.i < source.length && source[this.i] !== '`' && !(source[this.i] === '$' && source[this.i + 1] === '{')) {
      this.i += source[this.i] === '\\' ? 2 : 1;
    }
    this.blank(start, this.i);
    if (source[this.i] === '$') {
      this.blank(this.i, this.i + 2);
      this.i += 2;
      this.templates.push(this.depth);
    } else {
      this.i++;
    }
  }

  private skipRegex(): void {
    const { source } = this;
    const start = this.i++;
    let inClass = false;
    while (this.i < source.length && source[this.i] !== '\n' && (inClass || source[this.i] !== '/')) {
      if (source[this.i] === '\\') this.i++;
      else if (source[this.i] === '[') inClass = true;
      else if (source[this.i] === ']') inClass = false;
      this.i++;
    }
    this.blank(start + 1, this.i++);
    while (this.i < source.length && /[a-z]/.test(source[this.i]!)) this.i++;
  }
}

/** A `/` starts a regular expression where an operand is expected, not after one. */
function regexMayStart(code: readonly string[], at: number): boolean {
  let k = at - 1;
  while (k >= 0 && /\s/.test(code[k]!)) k--;
  if (k < 0) return true;
  const prev = code[k]!;
  if ('(,=:[!&|?{};+-*%<>~^'.includes(prev)) return true;
  if (!/[A-Za-z_$]/.test(prev)) return false;
  let w = k;
  while (w >= 0 && /[\w$]/.test(code[w]!)) w--;
  return REGEX_AFTER_WORDS.has(code.slice(w + 1, k + 1).join(''));
}

/** Index of the bracket that closes the one at `open`, in blanked code; -1 if none. */
function matching(code: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let k = open; k < code.length; k++) {
    const c = code[k]!;
    if (c in pairs) stack.push(pairs[c]!);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return k;
    }
  }
  return -1;
}

/** After a parameter list ending at `close`: the index of the body's `{`, or -1 when no body follows. */
function bodyAfterParameters(code: string, close: number): number {
  let k = close + 1;
  while (k < code.length && /\s/.test(code[k]!)) k++;
  if (code[k] === '{') return k;
  if (code[k] !== ':') return -1;
  let prev = ':';
  let angle = 0;
  for (k++; k < code.length; k++) {
    const c = code[k]!;
    if (/\s/.test(c)) continue;
    if (c === '=' && code[k + 1] === '>') {
      prev = '>';
      k++;
      continue;
    }
    if (c === '(' || c === '[') {
      k = matching(code, k);
      if (k < 0) return -1;
    } else if (c === '{') {
      if (angle === 0 && !':|&<,('.includes(prev)) return k;
      k = matching(code, k);
      if (k < 0) return -1;
    } else if (c === '<') angle++;
    else if (c === '>') angle--;
    else if (c === ';' || c === '=' || c === ')' || c === '}') return -1;
    prev = c;
  }
  return -1;
}

function lineAt(lineStarts: readonly number[], index: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Every function, method and block-bodied arrow in `source`, with its extent in lines. */
export function functionSpans(source: string): FunctionSpan[] {
  const code = blankLiterals(source);
  const lineStarts = [0];
  for (let k = 0; k < code.length; k++) if (code[k] === '\n') lineStarts.push(k + 1);
  const spans = new Map<number, FunctionSpan>();
  const add = (name: string, headAt: number, bodyAt: number) => {
    const end = matching(code, bodyAt);
    if (end < 0 || spans.has(bodyAt)) return;
    const startLine = lineAt(lineStarts, headAt);
    const endLine = lineAt(lineStarts, end);
    spans.set(bodyAt, { name, startLine, endLine, lines: endLine - startLine + 1 });
  };
  const heads = (pattern: RegExp, anonymous: string) => {
    for (const m of code.matchAll(pattern)) {
      const name = m[1] ?? anonymous;
      if (NOT_METHOD_NAMES.has(name)) continue;
      const open = m.index + m[0].length - 1;
      const close = matching(code, open);
      const body = close < 0 ? -1 : bodyAfterParameters(code, close);
      if (body >= 0) add(name, m.index + m[0].length - m[0].trimStart().length, body);
    }
  };
  heads(FUNCTION_HEAD, '(anonymous function)');
  heads(METHOD_HEAD, '(anonymous method)');
  for (const m of code.matchAll(/=>\s*\{/g)) add('(arrow)', arrowStart(code, m.index), m.index + m[0].length - 1);
  return [...spans.values()].sort((a, b) => a.startLine - b.startLine);
}

/** Where an arrow's parameters begin: the `(` matching the `)` before `=>`, or the single parameter's name. */
function arrowStart(code: string, arrow: number): number {
  let k = arrow - 1;
  while (k >= 0 && /\s/.test(code[k]!)) k--;
  if (code[k] !== ')') {
    while (k > 0 && /[\w$]/.test(code[k - 1]!)) k--;
    return k;
  }
  let depth = 0;
  for (; k >= 0; k--) {
    if (code[k] === ')') depth++;
    else if (code[k] === '(' && --depth === 0) return k;
  }
  return arrow;
}
