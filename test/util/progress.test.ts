import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleProgress, lineProgress, prefixedProgress } from '../../src/util/progress.js';

/** A stand-in for stderr that records what was written; `isTTY` as a pipe or a terminal has it. */
function recorder(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('progress', () => {
  it('off a terminal: one plain line per step, with the elapsed time, no carriage return or escape code', () => {
    const { stream, text } = recorder(false);
    const p = consoleProgress(stream);
    p.step('bert: converting');
    p.step('bert/fp32: evaluating on SST-2');
    p.step('model name with \x1b[31mcolour\x1b[0m and a\rreturn');
    p.done();
    const lines = text().split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.match(line, /^\[\d+\.\ds\] \S/);
    assert.match(lines[0] ?? '', /\] bert: converting$/);
    assert.doesNotMatch(text(), /[\r\x1b]/);
  });

  it('on a terminal: the line is rewritten in place', () => {
    const { stream, text } = recorder(true);
    const p = consoleProgress(stream);
    p.step('bert: converting');
    p.done();
    assert.match(text(), /^\r\x1b\[2K\[\d+\.\ds\] bert: converting\r\x1b\[2K$/);
  });

  it('a ticking counter prints its first and last value, not every tick, and steps apart from it are never dropped', () => {
    const { stream, text } = recorder(false);
    const p = lineProgress(stream);
    for (let i = 0; i <= 800; i += 8) p.step(`SST-2: scoring ${i}/800`);
    p.step('bert-l2: timing');
    p.step('bert-l4: timing');
    p.done();
    const lines = text().trimEnd().split('\n').map((l) => l.replace(/^\[\d+\.\ds\] /, ''));
    assert.deepEqual(lines, ['SST-2: scoring 0/800', 'SST-2: scoring 800/800', 'bert-l2: timing', 'bert-l4: timing']);
  });

  it('prefixed steps name what they work on; done belongs to the whole run', () => {
    const { stream, text } = recorder(false);
    const p = lineProgress(stream);
    const part = prefixedProgress(p, 'bert/int8-dynamic');
    part.step('scoring 0/872');
    part.done();
    p.step('writing reports');
    assert.deepEqual(text().trimEnd().split('\n').map((l) => l.replace(/^\[\d+\.\ds\] /, '')), ['bert/int8-dynamic: scoring 0/872', 'writing reports']);
  });
});
