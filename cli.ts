#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { convert, SUPPORTED_OPSETS, type ConvertSource } from './src/convert/convert.js';
import { KNOWN_CONFIG_NAMES } from './src/convert/known.js';
import { HEADS, type HeadName } from './src/convert/models/types.js';
import { formatConvertSummary } from './src/convert/summary.js';
import { AlbenchError, UsageError } from './src/errors.js';
import { evaluate, formatEval, predictionsTsv } from './src/eval/evaluate.js';
import type { SubsetRequest } from './src/eval/glue/subset.js';
import { resolveModel } from './src/hub/resolve-model.js';
import { formatInspect, inspect } from './src/inspect/inspect.js';
import { formatOptimizeSummary, optimizeFile } from './src/optimize/optimize.js';
import type { QuantizeOptions } from './src/quantize/options.js';
import { formatQuantizeSummary, quantizeFile } from './src/quantize/quantize.js';
import { BUNDLED_GLUE_DIR } from './src/paths.js';
import { removePendingOutputs, writeFileAtomic } from './src/util/atomic.js';
import { terminalProgress } from './src/util/progress.js';
import { ALBENCH_VERSION } from './src/version.js';

const integer = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};

const taskOption = () => new Option('--task <task>', 'head to export (default: from config.json architectures)').choices(HEADS);

const program = new Command('albench')
  .description('Convert BERT/ALBERT checkpoints to ONNX, quantize them, and measure cost and accuracy')
  .version(ALBENCH_VERSION)
  .option('--debug', 'print stack traces on errors')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('convert')
  .description('convert a Hugging Face checkpoint (bundled, a folder or a hub id), or a known config with random weights, to ONNX')
  .argument('[model]', 'bundled name (bert, albert), checkpoint folder, or Hugging Face model id (org/name[@revision], downloaded into the Hugging Face cache)')
  .requiredOption('-o, --output <dir>', 'output folder (HF ONNX layout: config.json, tokenizer files, onnx/model.onnx)')
  .addOption(taskOption())
  .option('--opset <n>', `ONNX opset (${SUPPORTED_OPSETS.min}-${SUPPORTED_OPSETS.max})`, integer('--opset'), SUPPORTED_OPSETS.default)
  .addOption(new Option('--weights <format>', 'which weight file to read when both exist').choices(['safetensors', 'bin']))
  .addOption(new Option('--config <name>', 'build a known architecture instead of reading a checkpoint').choices(KNOWN_CONFIG_NAMES))
  .option('--random-weights', 'with --config: seeded random weights (architecture only, no download)')
  .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
  .option('--no-validate', 'skip the comparison with the float64 reference forward pass')
  .option('--allow-nonfinite', 'convert even if weights hold NaN or Inf (warns instead of refusing)')
  .action(async (model: string | undefined, o: { output: string; task?: HeadName; opset: number; weights?: 'safetensors' | 'bin'; config?: string; randomWeights?: boolean; seed: number; validate: boolean; allowNonfinite?: boolean }) => {
    const progress = terminalProgress();
    const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
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

program
  .command('inspect')
  .description('parameter counts (unique and executed, by component) and bytes per dtype')
  .argument('<target>', `checkpoint folder or known config (${KNOWN_CONFIG_NAMES.join(', ')})`)
  .addOption(taskOption())
  .option('--json', 'print JSON')
  .action((target: string, o: { task?: HeadName; json?: boolean }) => {
    const report = inspect(target, o.task);
    process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatInspect(report)}\n`);
  });

program
  .command('eval')
  .description('accuracy of a converted model on a GLUE dev set, with 95% bootstrap intervals')
  .argument('<model-dir>', 'converted model folder (config.json, tokenizer files, onnx/model.onnx)')
  .requiredOption('--task <task>', 'GLUE task: cola, sst2, mrpc, stsb, qqp, mnli-m, mnli-mm, qnli, rte, wnli')
  .option('--data <dir>', 'GLUE data in its original layout', BUNDLED_GLUE_DIR)
  .option('--model-file <file>', 'the ONNX graph to run (default <model-dir>/onnx/model.onnx)')
  .option('--batch <n>', 'batch size', integer('--batch'), 32)
  .option('--max-length <n>', 'truncate inputs to this many tokens', integer('--max-length'), 128)
  .option('--limit <n>', 'only the first N examples', integer('--limit'))
  .option('--sample <n>', 'a seeded sample of N examples, stratified by label', integer('--sample'))
  .option('--seed <n>', 'seed for --sample', integer('--seed'), 0)
  .option('--threads <n>', 'onnxruntime intra-op threads', integer('--threads'))
  .option('--predictions <file>', 'write per-example predictions and logits (TSV)')
  .option('--json', 'print the result as JSON')
  .action(async (modelDir: string, o: { task: string; data: string; modelFile?: string; batch: number; maxLength: number; limit?: number; sample?: number; seed: number; threads?: number; predictions?: string; json?: boolean }) => {
    if (o.limit !== undefined && o.sample !== undefined) throw new UsageError('give --limit or --sample, not both');
    const subset: SubsetRequest = o.limit !== undefined ? { kind: 'limit', limit: o.limit } : o.sample !== undefined ? { kind: 'sample', size: o.sample, seed: o.seed } : { kind: 'all' };
    const result = await evaluate({
      modelDir, task: o.task, dataDir: o.data, subset, batchSize: o.batch, maxLength: o.maxLength, progress: terminalProgress(),
      ...(o.modelFile ? { modelFile: o.modelFile } : {}), ...(o.threads ? { threads: o.threads } : {}),
    });
    if (o.predictions) writeFileAtomic(o.predictions, predictionsTsv(result));
    const { predictions: _omitted, ...summary } = result;
    process.stdout.write(`${o.json ? JSON.stringify(summary, null, 2) : formatEval(result)}\n`);
  });

program
  .command('quantize')
  .description('int8 (dynamic) or 4-bit weight-only variant of a converted model; lands beside it under the transformers.js name')
  .argument('<model>', 'converted model folder (uses onnx/model.onnx) or an .onnx file')
  .option('-o, --output <file>', 'output file (default: onnx/model_quantized.onnx, model_uint8.onnx or model_q4.onnx beside the input)')
  .addOption(new Option('--format <format>', 'integer operators or QuantizeLinear/DequantizeLinear pairs').choices(['qoperator', 'qdq']).default('qoperator'))
  .addOption(new Option('--bits <n>', '8: int8 weights and activations; 4: weight-only 4-bit blocks (MatMulNBits)').choices(['8', '4']).default('8'))
  .option('--block-size <n>', 'with --bits 4: values per block along K (power of two, >= 16)', integer('--block-size'), 32)
  .addOption(new Option('--weight-type <type>', 'int8 (symmetric) or uint8 (asymmetric) weights').choices(['int8', 'uint8']).default('int8'))
  .option('--per-channel', 'one scale per output channel instead of per tensor')
  .option('--reduce-range', '7-bit weights, for CPUs without VNNI whose u8s8 kernels can saturate')
  .addOption(new Option('--embeddings <type>', 'quantize the embedding tables too (int8; 4-bit blocks with --bits 4)').choices(['fp32', 'int8']).default('fp32'))
  .option('--float16-vectors', 'store biases and LayerNorm vectors as float16 (cast back at load; computation stays float32)')
  .option('--exclude <pattern...>', 'node names to keep in float (* and ? match the whole name; otherwise a substring)')
  .action((model: string, o: { output?: string; format: 'qoperator' | 'qdq'; bits: '8' | '4'; blockSize: number; weightType: 'int8' | 'uint8'; perChannel?: boolean; reduceRange?: boolean; embeddings: 'fp32' | 'int8'; float16Vectors?: boolean; exclude?: string[] }) => {
    const options: Partial<QuantizeOptions> = {
      format: o.format, bits: o.bits === '4' ? 4 : 8, blockSize: o.blockSize, weightType: o.weightType, perChannel: o.perChannel ?? false,
      reduceRange: o.reduceRange ?? false, embeddings: o.embeddings === 'int8', float16Vectors: o.float16Vectors ?? false, exclude: o.exclude ?? [],
    };
    const record = quantizeFile({ input: model, ...(o.output ? { output: o.output } : {}), options });
    process.stdout.write(`${formatQuantizeSummary(record)}\n`);
  });

program
  .command('optimize')
  .description('fuse each self-attention block into one onnxruntime Attention node (optionally float16 for CUDA); lands beside the model')
  .argument('<model>', 'converted model folder (uses onnx/model.onnx) or an .onnx file')
  .option('-o, --output <file>', 'output file (default: onnx/model_optimized.onnx, or model_fp16.onnx with --fp16, beside the input)')
  .option('--fp16', 'float16 weights and computation (for CUDA); inputs and outputs keep their types')
  .action((model: string, o: { output?: string; fp16?: boolean }) => {
    const record = optimizeFile({ input: model, fp16: o.fp16 ?? false, ...(o.output ? { output: o.output } : {}) });
    process.stdout.write(`${formatOptimizeSummary(record)}\n`);
  });

process.on('SIGINT', () => {
  removePendingOutputs();
  process.stderr.write('\ninterrupted; no partial output was left\n');
  process.exit(130);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const debug = program.opts<{ debug?: boolean }>().debug === true || process.argv.includes('--debug');
  removePendingOutputs();
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof AlbenchError) {
    process.stderr.write(`error: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = e.exitCode;
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${err.message}\n`);
    process.stderr.write(debug ? `${err.stack ?? ''}\n` : 'run again with --debug for details, and please report it\n');
    process.exitCode = 1;
  }
}
