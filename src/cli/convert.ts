import { Option, type Command } from 'commander';
import { convert, SUPPORTED_OPSETS, type ConvertSource } from '../convert/convert.js';
import { KNOWN_CONFIG_NAMES } from '../arch/known.js';
import type { HeadName } from '../arch/types.js';
import { formatConvertSummary } from '../convert/summary.js';
import { UsageError } from '../errors.js';
import { resolveModel } from '../hub/resolve-model.js';
import { consoleProgress } from '../util/progress.js';
import { integer, taskOption } from './options.js';
import { safeLine } from '../util/safe-text.js';

interface ConvertFlags {
  output: string; task?: HeadName; opset: number; weights?: 'safetensors' | 'bin'; config?: string; randomWeights?: boolean; seed: number;
  validate: boolean; allowNonfinite?: boolean;
}

export function addConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert a Hugging Face checkpoint (bundled, a folder or a hub id), or a known config with random weights, to ONNX')
    .argument(
      '[model]',
      'bundled name (bert, albert), checkpoint folder, or Hugging Face model id (org/name[@revision], downloaded into the Hugging Face cache)',
    )
    .requiredOption('-o, --output <dir>', 'output folder (HF ONNX layout: config.json, tokenizer files, onnx/model.onnx)')
    .addOption(taskOption())
    .option('--opset <n>', `ONNX opset (${SUPPORTED_OPSETS.min}-${SUPPORTED_OPSETS.max})`, integer('--opset'), SUPPORTED_OPSETS.default)
    .addOption(new Option('--weights <format>', 'which weight file to read when both exist').choices(['safetensors', 'bin']))
    .addOption(new Option('--config <name>', 'build a known architecture instead of reading a checkpoint').choices(KNOWN_CONFIG_NAMES))
    .option('--random-weights', 'with --config: seeded random weights (architecture only, no download)')
    .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
    .option('--no-validate', 'skip the comparison with the float64 reference forward pass')
    .option('--allow-nonfinite', 'convert even if weights hold NaN or Inf (warns instead of refusing)')
    .action(async (model: string | undefined, o: ConvertFlags) => {
      const progress = consoleProgress();
      const warn = (m: string) => process.stderr.write(`warning: ${safeLine(m)}\n`);
      const prefer = o.weights ? { prefer: o.weights } : {};
      let source: ConvertSource;
      if (o.config !== undefined) {
        if (model !== undefined) throw new UsageError('give either a model or --config, not both');
        if (!o.randomWeights) throw new UsageError('--config needs --random-weights (there are no downloaded weights for it)');
        source = { kind: 'random', configName: o.config, seed: o.seed };
      } else {
        if (model === undefined) throw new UsageError('give a model (bert, albert, a checkpoint folder or a hub id), or --config <name> --random-weights');
        const { dir } = await resolveModel(model, { progress, warn, ...prefer });
        source = { kind: 'checkpoint', dir, ...prefer };
      }
      const record = await convert({
        source, outDir: o.output, opset: o.opset, validate: o.validate, allowNonFinite: o.allowNonfinite ?? false,
        ...(o.task ? { task: o.task } : {}), progress, warn,
      });
      process.stdout.write(`${formatConvertSummary(record, o.output)}\n`);
    });
}
