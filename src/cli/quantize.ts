import { Option, type Command } from 'commander';
import { withInt8Recipe, type RecipeChoices } from '../compare/int8-recipe.js';
import { UsageError } from '../errors.js';
import { BUNDLED_GLUE_DIR } from '../paths.js';
import { CALIBRATION_DEFAULTS } from '../quantize/calibrate/calibrate.js';
import { CALIBRATION_METHODS, type CalibrationMethod } from '../quantize/calibrate/estimator.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { formatQuantizeSummary, quantizeCalibrated, quantizeFile, type QuantizeRecord } from '../quantize/quantize.js';
import { AUTO_DEFAULTS } from '../tune/auto-quantize.js';
import { checkOutputFile } from '../util/io-errors.js';
import { integer, nonNegative } from './options.js';
import { autoQuantizeWith, formatAutoQuantize } from './quantize-auto.js';

interface QuantizeFlags {
  output?: string; format: 'qoperator' | 'qdq'; bits: '8' | '4'; blockSize: number; weightType: 'int8' | 'uint8'; perChannel?: boolean; reduceRange?: boolean;
  embeddings?: 'fp32' | 'float' | 'int8'; float16Vectors?: boolean; float32Vectors?: boolean; fuseAttention: boolean; exclude?: string[];
  calibrate?: string; samples: number; method: CalibrationMethod; percentile: number; seed: number; data: string; threads?: number;
  maxDrop?: number; minAccuracy?: number; task?: string; maxFloat: number;
}

const OUTPUT_HELP = 'output file (default: onnx/model_quantized.onnx, model_uint8.onnx, model_int8.onnx (static) or model_q4.onnx beside the input)';
const FORMAT_HELP = 'integer operators or QuantizeLinear/DequantizeLinear pairs (static int8 is always QDQ)';
const EMBEDDINGS_HELP = 'embedding tables int8 (4-bit blocks with --bits 4) or float (fp32); default: int8 for dynamic int8, float otherwise';
const CALIBRATE_HELP = 'static int8: measure activation ranges on this GLUE task (its train split if present, else dev) and fix them in a QDQ model';

export function addQuantizeCommand(program: Command): void {
  program
    .command('quantize')
    .description('int8 (dynamic, or static with --calibrate) or 4-bit weight-only variant of a converted model; lands beside it under the transformers.js name')
    .argument('<model>', 'converted model folder (uses onnx/model.onnx) or an .onnx file')
    .option('-o, --output <file>', OUTPUT_HELP)
    .addOption(new Option('--format <format>', FORMAT_HELP).choices(['qoperator', 'qdq']).default('qoperator'))
    .addOption(new Option('--bits <n>', '8: int8 weights and activations; 4: weight-only 4-bit blocks (MatMulNBits)').choices(['8', '4']).default('8'))
    .option('--block-size <n>', 'with --bits 4: values per block along K (power of two, >= 16)', integer('--block-size'), 32)
    .addOption(new Option('--weight-type <type>', 'int8 (symmetric) or uint8 (asymmetric) weights').choices(['int8', 'uint8']).default('int8'))
    .option('--per-channel', 'one scale per output channel instead of per tensor')
    .option('--reduce-range', '7-bit weights, for CPUs without VNNI whose u8s8 kernels can saturate')
    .addOption(new Option('--embeddings <type>', EMBEDDINGS_HELP).choices(['int8', 'float', 'fp32']))
    .option('--float16-vectors', 'store biases and LayerNorm vectors as float16 (cast back at load; computation stays float32); dynamic int8\'s default')
    .option('--float32-vectors', 'keep biases and LayerNorm vectors float32 (the default of the other modes)')
    .option('--no-fuse-attention', 'dynamic int8: quantize the graph as converted, without fusing attention into QAttention first')
    .option('--exclude <pattern...>', 'node names to keep in float (* and ? match the whole name; otherwise a substring)')
    .option('--calibrate <task>', CALIBRATE_HELP)
    .option(
      '--samples <n>', 'with --calibrate: examples to calibrate on; with --max-drop: to check the budget on (seeded, stratified by label)',
      integer('--samples'), CALIBRATION_DEFAULTS.samples,
    )
    .addOption(
      new Option('--method <method>', 'with --calibrate: how a range is chosen from the values seen')
        .choices(CALIBRATION_METHODS).default(CALIBRATION_DEFAULTS.method),
    )
    .option(
      '--percentile <p>', 'with --method percentile: the share of each tail kept, in percent', nonNegative('--percentile'), CALIBRATION_DEFAULTS.percentile,
    )
    .option('--seed <n>', 'with --calibrate / --max-drop: seed of the sample', integer('--seed'), CALIBRATION_DEFAULTS.seed)
    .option('--data <dir>', 'with --calibrate: GLUE data in its original layout', BUNDLED_GLUE_DIR)
    .option('--max-drop <points>', 'keep in float the fewest, cheapest layers that hold the task metric within this many points of fp32 (needs --task)',
      nonNegative('--max-drop'))
    .option('--min-accuracy <percent>', 'like --max-drop, with a floor on the metric itself (needs --task)', nonNegative('--min-accuracy'))
    .option('--task <task>', 'with --max-drop / --min-accuracy: the GLUE task whose train split the budget is checked on')
    .option(
      '--max-float <percent>', 'with --max-drop: the most of quantization\'s byte savings the search may give back',
      nonNegative('--max-float'), AUTO_DEFAULTS.maxFloatShare * 100,
    )
    .option('--threads <n>', 'with --calibrate: onnxruntime intra-op threads for the calibration runs', integer('--threads'))
    .action(async (model: string, o: QuantizeFlags) => {
      if (o.maxDrop !== undefined || o.minAccuracy !== undefined) {
        process.stdout.write(`${formatAutoQuantize(await autoQuantizeWith(model, o, quantizeOptionsOf(o)))}\n`);
        return;
      }
      const record = await quantizeWith(model, o);
      process.stdout.write(`${formatQuantizeSummary(record)}\n`);
    });
}

/** What the user chose of the int8 recipe (int8-recipe.ts); the rest takes the mode's default. */
function recipeChoices(o: QuantizeFlags): RecipeChoices {
  if (o.float16Vectors && o.float32Vectors) throw new UsageError('--float16-vectors and --float32-vectors contradict each other; give one');
  const vectors = o.float16Vectors ? true : o.float32Vectors ? false : undefined;
  return {
    fuseAttention: o.fuseAttention,
    ...(o.embeddings !== undefined ? { embeddings: o.embeddings === 'int8' } : {}),
    ...(vectors !== undefined ? { float16Vectors: vectors } : {}),
  };
}

function quantizeOptionsOf(o: QuantizeFlags): Partial<QuantizeOptions> {
  return {
    format: o.format, bits: o.bits === '4' ? 4 : 8, blockSize: o.blockSize, weightType: o.weightType, perChannel: o.perChannel ?? false,
    reduceRange: o.reduceRange ?? false, exclude: o.exclude ?? [],
    ...(o.calibrate !== undefined ? { activations: { kind: 'static', ranges: new Map() } } : {}),
  };
}

async function quantizeWith(model: string, o: QuantizeFlags): Promise<QuantizeRecord> {
  const options = quantizeOptionsOf(o);
  if (o.output) checkOutputFile(o.output, true);
  const request = withInt8Recipe({ input: model, ...(o.output ? { output: o.output } : {}), options }, recipeChoices(o));
  if (o.calibrate === undefined) return quantizeFile(request);
  // The recipe leaves static int8 unfused: calibration measures the graph as read.
  return quantizeCalibrated({
    ...request, ...(o.threads ? { threads: o.threads } : {}),
    calibration: { ...CALIBRATION_DEFAULTS, task: o.calibrate, dataDir: o.data, samples: o.samples, seed: o.seed, method: o.method, percentile: o.percentile },
  });
}
