import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { blankLiterals, functionSpans } from './sizes.js';

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
const MAX_LINE_CHARS = 160;

/** cli.ts and every TypeScript file under src/; tests and benchmarks do not count. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return walk(full);
      return e.name.endsWith('.ts') ? [full] : [];
    });
  return [path.join(REPO_ROOT, 'cli.ts'), ...walk(path.join(REPO_ROOT, 'src'))].map((f) => path.relative(REPO_ROOT, f)).sort();
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function offenders(check: (file: string, text: string) => string[]): string[] {
  return sourceFiles().flatMap((file) => check(file, fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')));
}

function report(what: string, found: readonly string[]): string {
  return `${found.length} ${what}:\n  ${found.join('\n  ')}`;
}

describe('the size scanner', () => {
  it('blanks comments, strings, templates and regular expressions but keeps template code and line breaks', () => {
    const source = "const a = '{'; // {\nconst b = `x{${f({})}}`; /* { */ const r = /[{/]\\{/g;\n";
    const blanked = blankLiterals(source);
    assert.equal(blanked.length, source.length);
    assert.equal(blanked.split('\n').length, source.split('\n').length);
    assert.equal(blanked.replace(/[^{}]/g, ''), '{}', 'only the object literal inside ${} keeps its braces');
  });

  it('measures functions, methods and block arrows, skipping return types with braces', () => {
    const source = [
      'export function f(x: number): { a: number } | undefined {', // 1
      "  if (x) return { a: '}' === String(x) ? 1 : 2 };", // 2
      '  return undefined;', // 3
      '}', // 4
      'class C {', // 5
      '  private step(op: number): Promise<{ v: string }> {', // 6
      '    const g = (y: number) => {', // 7
      '      return y / 2;', // 8
      '    };', // 9
      '    return g(op) as never;', // 10
      '  }', // 11
      '  overload(x: string): void;', // 12
      '}', // 13
      'call(a, b);', // 14
      'if (a) {', // 15
      '}', // 16
    ].join('\n');
    const spans = functionSpans(source).map((s) => [s.name, s.startLine, s.endLine, s.lines]);
    assert.deepEqual(spans, [
      ['f', 1, 4, 4],
      ['step', 6, 11, 6],
      ['(arrow)', 7, 9, 3],
    ]);
  });
});

describe('the house rules on sizes', () => {
  it(`no file under src/ or cli.ts is over ${MAX_FILE_LINES} lines`, () => {
    const found = offenders((file, text) => {
      const lines = lineCount(text);
      return lines > MAX_FILE_LINES ? [`${file}: ${lines} lines`] : [];
    });
    assert.deepEqual(found, [], report(`files over ${MAX_FILE_LINES} lines`, found));
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    const found = offenders((file, text) =>
      functionSpans(text)
        .filter((s) => s.lines > MAX_FUNCTION_LINES)
        .map((s) => `${file}:${s.startLine}: ${s.name} is ${s.lines} lines (to line ${s.endLine})`),
    );
    assert.deepEqual(found, [], report(`functions over ${MAX_FUNCTION_LINES} lines`, found));
  });

  it(`no source line is over ${MAX_LINE_CHARS} characters`, () => {
    const found = offenders((file, text) =>
      text.split('\n').flatMap((line, i) => (line.length > MAX_LINE_CHARS ? [`${file}:${i + 1}: ${line.length} characters`] : [])),
    );
    assert.deepEqual(found, [], report(`lines over ${MAX_LINE_CHARS} characters`, found));
  });
});
