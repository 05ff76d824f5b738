import type { Command } from 'commander';
import { formatOptimizeSummary, optimizeFile } from '../optimize/optimize.js';

export function addOptimizeCommand(program: Command): void {
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
}
