import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const WORKFLOW = path.join(REPO_ROOT, 'examples', 'albench-regress.yml');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Shell words of one command line: quotes removed, variables kept as written (only parsing is checked). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/** Every albench invocation in the workflow's run scripts (continuation lines joined), as argument lists without the program name. */
function albenchCommandLines(yaml: string): string[][] {
  return yaml.replace(/\\\n\s*/g, ' ').split('\n')
    .map((l) => l.replace(/^\s*(-\s+)?(run:\s*)?/, '').trim())
    .filter((l) => /^(npx\s+)?albench\s/.test(l))
    .map((l) => shellWords(l.replace(/^npx\s+/, '')).slice(1));
}

/**
 * Preloaded before the CLI: every command's action only prints what commander parsed, so a line is
 * checked by the CLI's own definitions (options, choices, argument parsers) without running it.
 */
function parseOnlyHook(): string {
  const file = path.join(tempDir(), 'parse-only.mjs');
  fs.writeFileSync(file, [
    "import { createRequire } from 'node:module';",
    `const { Command } = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))})('commander');`,
    'const action = Command.prototype.action;',
    'Command.prototype.action = function (fn) {',
    '  return action.call(this, (...args) => {',
    '    const cmd = args[args.length - 1];',
    '    process.stdout.write(JSON.stringify({ command: cmd.name(), args: cmd.args, options: cmd.opts() }) + "\\n");',
    '  });',
    '};',
  ].join('\n'));
  return file;
}

describe('examples/albench-regress.yml', () => {
  const yaml = fs.readFileSync(WORKFLOW, 'utf8');
  const lines = albenchCommandLines(yaml);

  it('runs compare and regress', () => {
    assert.deepEqual([...new Set(lines.map((l) => l[0]))].sort(), ['compare', 'regress']);
  });

  it('installs albench as a package with the README\'s install command, not from a source tree', () => {
    assert.match(yaml, /ONNXRUNTIME_NODE_INSTALL=skip npm install albench@/);
    assert.doesNotMatch(yaml, /npm ci|npm run build/);
  });

  it('every albench command line parses with this albench\'s CLI', () => {
    const hook = parseOnlyHook();
    for (const args of lines) {
      const r = spawnSync(process.execPath, ['--import', hook, CLI, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, `albench ${args.join(' ')}\n${r.stderr}`);
      const parsed = JSON.parse(r.stdout.trim()) as { command: string; options: Record<string, unknown> };
      assert.equal(parsed.command, args[0], `albench ${args.join(' ')}`);
      if (parsed.command === 'regress') assert.equal(parsed.options['maxSizeIncrease'], 5, 'the continuation line was read');
    }
  });

  it('the parse check itself refuses a bad line', () => {
    const args = ['regress', '--baseline', 'a.json', '--current', 'b.json', '--max-size-increase', 'lots'];
    const r = spawnSync(process.execPath, ['--import', parseOnlyHook(), CLI, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
  });
});
