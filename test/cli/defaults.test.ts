import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addBenchCommand } from '../../src/cli/bench.js';
import { addCompareCommand } from '../../src/cli/compare.js';
import { addConvertCommand } from '../../src/cli/convert.js';
import { addDoctorCommand } from '../../src/cli/doctor.js';
import { addEvalCommand } from '../../src/cli/eval.js';
import { addInspectCommand } from '../../src/cli/inspect.js';
import { addOptimizeCommand } from '../../src/cli/optimize.js';
import { addQuantizeCommand } from '../../src/cli/quantize.js';
import { addRegressCommand } from '../../src/cli/regress.js';

function program(): Command {
  const p = new Command('albench');
  for (const add of [addConvertCommand, addInspectCommand, addEvalCommand, addQuantizeCommand, addRegressCommand, addBenchCommand,
    addDoctorCommand, addCompareCommand, addOptimizeCommand]) add(p);
  return p;
}

/**
 * Options whose default differs between commands on purpose, and what each differing command's
 * help must say about it. Everything else shared by several commands has one default.
 */
const DELIBERATE: Readonly<Record<string, Readonly<Record<string, RegExp>>>> = {
  // compare times every variant of every model, so its runs are shorter than bench's.
  '--time': { compare: /shorter than bench's default on purpose/, bench: /compare's default is shorter/ },
  // eval's --batch is how many examples one scoring run takes; bench's and compare's is a grid of batch sizes to time.
  '--batch': { eval: /not a timing grid/ },
  // compare judges ties by the spread between rounds, so it needs at least 4 (an even count); bench's table reports each point once by default.
  '--rounds': { compare: /bench's default is 1/, bench: /compare's default is 4/ },
  // --task names a GLUE task in compare and eval, a model head in convert, inspect and bench.
  '--task': {},
};

describe('the same option has the same default in every command', () => {
  const byFlag = new Map<string, Array<{ command: string; defaultValue: unknown; description: string }>>();
  for (const cmd of program().commands) {
    for (const o of cmd.options) {
      if (o.long === undefined) continue;
      byFlag.set(o.long, [...(byFlag.get(o.long) ?? []), { command: cmd.name(), defaultValue: o.defaultValue, description: o.description }]);
    }
  }
  const shared = [...byFlag].filter(([, uses]) => uses.length > 1);

  it('finds the options shared by several commands', () => {
    for (const flag of ['--warmup', '--threads', '--batch', '--seq', '--time', '--seed', '--data', '--device', '--json']) {
      assert.ok(shared.some(([f]) => f === flag), flag);
    }
  });

  for (const [flag, uses] of shared) {
    it(`${flag} (${uses.map((u) => u.command).join(', ')})`, () => {
      const defaults = new Set(uses.map((u) => JSON.stringify(u.defaultValue)));
      const deliberate = DELIBERATE[flag];
      if (deliberate === undefined) {
        assert.equal(defaults.size, 1, `${flag}: ${uses.map((u) => `${u.command} ${JSON.stringify(u.defaultValue)}`).join(', ')}`);
        return;
      }
      for (const [command, why] of Object.entries(deliberate)) {
        const use = uses.find((u) => u.command === command);
        assert.ok(use, `${command} has ${flag}`);
        assert.match(use.description, why, `${command} ${flag}: the help must say why its default differs`);
      }
    });
  }

  it('--warmup is the same in bench and compare', () => {
    const warmups = (byFlag.get('--warmup') ?? []).map((u) => u.defaultValue);
    assert.deepEqual(warmups, [5, 5]);
  });
});
