import type { Command } from 'commander';
import { KNOWN_CONFIG_NAMES } from '../arch/known.js';
import type { HeadName } from '../arch/types.js';
import { formatInspect, inspect } from '../inspect/inspect.js';
import { jsonOption, jsonTarget, taskOption, writeResult } from './options.js';

export function addInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('parameter counts (unique and executed, by component) and bytes per dtype')
    .argument('<target>', `checkpoint folder, config.json (or a folder holding only one), or known config (${KNOWN_CONFIG_NAMES.join(', ')})`)
    .addOption(taskOption('head to count (default: from config.json architectures)'))
    .addOption(jsonOption('the counts'))
    .action((target: string, o: { task?: HeadName; json?: string | boolean }) => {
      const json = jsonTarget(o.json);
      const report = inspect(target, o.task);
      writeResult(json, report, () => formatInspect(report));
    });
}
