import type { Command } from 'commander';
import { evaluate, formatEval, predictionsTsv } from '../eval/evaluate.js';
import { BUNDLED_GLUE_DIR } from '../paths.js';
import { writeFileAtomic } from '../util/atomic.js';
import { checkOutputFile } from '../util/io-errors.js';
import { consoleProgress } from '../util/progress.js';
import { integer, jsonOption, jsonTarget, positiveInteger, subsetRequest, writeResult } from './options.js';

interface EvalFlags {
  task: string; data: string; modelFile?: string; batch: number; maxLength: number; limit?: number; sample?: number; seed: number;
  threads?: number; predictions?: string; json?: string | boolean;
}

export function addEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('accuracy of a converted model on a GLUE dev set, with 95% bootstrap intervals')
    .argument('<model-dir>', 'converted model folder (config.json, tokenizer files, onnx/model.onnx)')
    .requiredOption('--task <task>', 'GLUE task: cola, sst2, mrpc, stsb, qqp, mnli-m, mnli-mm, qnli, rte, wnli')
    .option('--data <dir>', 'GLUE data in its original layout', BUNDLED_GLUE_DIR)
    .option('--model-file <file>', 'the ONNX graph to run: a name inside <model-dir> or its onnx/ (model_quantized.onnx), or a path (default onnx/model.onnx)')
    .option('--batch <n>', 'examples per onnxruntime run while scoring; not a timing grid as in bench and compare', positiveInteger('--batch'), 32)
    .option('--max-length <n>', 'truncate inputs to this many tokens', positiveInteger('--max-length'), 128)
    .option('--limit <n>', 'only the first N examples', integer('--limit'))
    .option('--sample <n>', 'a seeded sample of N examples, stratified by label', integer('--sample'))
    .option('--seed <n>', 'seed for --sample', integer('--seed'), 0)
    .option('--threads <n>', 'intra-op threads (default: onnxruntime\'s, one per physical core)', integer('--threads'))
    .option('--predictions <file>', 'write per-example predictions and logits (TSV)')
    .addOption(jsonOption('the result (without per-example predictions; see --predictions)'))
    .action(async (modelDir: string, o: EvalFlags) => {
      const subset = subsetRequest(o);
      if (o.predictions) checkOutputFile(o.predictions, false);
      const json = jsonTarget(o.json);
      const result = await evaluate({
        modelDir, task: o.task, dataDir: o.data, subset, batchSize: o.batch, maxLength: o.maxLength, progress: consoleProgress(),
        ...(o.modelFile ? { modelFile: o.modelFile } : {}), ...(o.threads ? { threads: o.threads } : {}),
      });
      if (o.predictions) writeFileAtomic(o.predictions, predictionsTsv(result));
      const { predictions: _omitted, ...summary } = result;
      writeResult(json, summary, () => formatEval(result));
    });
}
