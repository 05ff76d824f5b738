#!/usr/bin/env node
import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { stopChildren } from './src/bench/run-child.js';
import { addBenchCommand } from './src/cli/bench.js';
import { addBrowserBenchCommand } from './src/cli/browser-bench.js';
import { addCacheCommand } from './src/cli/cache.js';
import { addCompareCommand } from './src/cli/compare.js';
import { addConvertCommand } from './src/cli/convert.js';
import { addDeployCommand } from './src/cli/deploy.js';
import { addDoctorCommand } from './src/cli/doctor.js';
import { addEvalCommand } from './src/cli/eval.js';
import { addInspectCommand } from './src/cli/inspect.js';
import { addMergeCommand } from './src/cli/merge.js';
import { addOptimizeCommand } from './src/cli/optimize.js';
import { addQuantizeCommand } from './src/cli/quantize.js';
import { addRegressCommand } from './src/cli/regress.js';
import { AlbenchError } from './src/errors.js';
import { removePendingOutputs } from './src/util/atomic.js';
import { asIoError } from './src/util/io-errors.js';
import { safeLine } from './src/util/safe-text.js';
import { ALBENCH_VERSION } from './src/version.js';

const program = new Command('albench')
  .description('Convert BERT/ALBERT checkpoints to ONNX, quantize them, and measure cost and accuracy')
  .version(ALBENCH_VERSION)
  .option('--debug', 'print stack traces on errors')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

// Each command is defined in src/cli/; the order here is the order `albench --help` lists them in.
addConvertCommand(program);
addInspectCommand(program);
addEvalCommand(program);
addQuantizeCommand(program);
addRegressCommand(program);
addBenchCommand(program);
addBrowserBenchCommand(program);
addDoctorCommand(program);
addCompareCommand(program);
addMergeCommand(program);
addDeployCommand(program);
addCacheCommand(program);
addOptimizeCommand(program);

// Ctrl-C, and SIGTERM from `timeout` or a cancelled CI job: children first, so none writes into a
// temporary being removed; the exit code is the shell's 128 + signal number.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopChildren();
    removePendingOutputs();
    process.stderr.write(`\n${signal === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)'}; no partial output was left\n`);
    process.exit(128 + os.constants.signals[signal]);
  });
}

try {
  await program.parseAsync(process.argv);
} catch (caught) {
  const debug = program.opts<{ debug?: boolean }>().debug === true || process.argv.includes('--debug');
  removePendingOutputs();
  // A system error no writer mapped (a folder albench may not make, a full disk while reading) still gets one line.
  const e = asIoError(caught);
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof AlbenchError) {
    process.stderr.write(`error: ${safeLine(e.message)}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = e.exitCode;
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${safeLine(err.message)}\n`);
    process.stderr.write(debug ? `${err.stack ?? ''}\n` : 'run again with --debug for details, and please report it\n');
    process.exitCode = 1;
  }
}
